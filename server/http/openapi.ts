// Builds the OpenAPI 3.1 document from the routes' own zod schemas (zod 4's
// native JSON Schema output is draft 2020-12, which is OpenAPI 3.1's dialect).
import { z } from 'zod';
import { ErrorCode, errorMeaning, errorStatus } from '../../core/platform/errors';
import type { ApiRegistry, DocumentedRoute, EnvelopeResponse, RawResponse } from './route';
import type { Access } from './shopperAuth';

type Json = Record<string, unknown>;

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

/** Where the API is served: the public base URL when configured, else this origin (`/`). */
export interface OpenApiServer {
  url: string;
  description: string;
}

const isEnvelope = (r: EnvelopeResponse | RawResponse): r is EnvelopeResponse => 'data' in r;

/** `/api/promotions/:id` -> `/api/promotions/{id}` */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, '{$1}');
}

function operationId(route: DocumentedRoute): string {
  const words = openApiPath(route.path)
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1));
  return route.method + words.join('');
}

/** Converts zod schemas, moving named ones (`.meta({ id })`) into components.schemas. */
class SchemaConverter {
  readonly components: Record<string, Json> = {};

  convert(schema: z.ZodType, io: 'input' | 'output'): Json {
    const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
    const rewritten = JSON.parse(
      JSON.stringify(json).replaceAll('"#/$defs/', '"#/components/schemas/'),
    ) as Json;
    const defs = (rewritten.$defs ?? {}) as Record<string, Json>;
    Object.assign(this.components, defs);
    delete rewritten.$defs;
    delete rewritten.$schema;
    return rewritten;
  }
}

function parameters(
  converter: SchemaConverter,
  where: 'path' | 'query',
  schema?: z.ZodType,
  example?: unknown,
) {
  if (!schema) return [];
  const samples = (example ?? {}) as Record<string, unknown>;
  const json = converter.convert(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, Json>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: property,
    ...(samples[name] === undefined ? {} : { example: samples[name] }),
  }));
}

/** The refusals a route's access adds to its own. */
const accessErrors: Record<Access, readonly ErrorCode[]> = {
  public: [],
  admin: [ErrorCode.Unauthorized],
  shopper: [
    ErrorCode.ShopperTokenMissing,
    ErrorCode.ShopperTokenInvalid,
    ErrorCode.ShopperTokenExpired,
    ErrorCode.IdentityMismatch,
  ],
  owner: [
    ErrorCode.ShopperTokenMissing,
    ErrorCode.ShopperTokenInvalid,
    ErrorCode.ShopperTokenExpired,
    ErrorCode.IdentityMismatch,
    ErrorCode.NotOwner,
  ],
};

/**
 * Security requirements (alternatives) per access. Shopper routes: the shop's
 * JWT in signed mode; in open mode the queue token is optional (`{}`) and only
 * unlocks the shopper's private fields. Owner routes: the shopper's proof or the
 * admin token (the shop's backend).
 */
const securityOf: Record<Access, Json[] | undefined> = {
  public: undefined,
  admin: [{ adminToken: [] }],
  shopper: [{ shopperJwt: [] }, { queueToken: [] }, {}],
  owner: [{ shopperJwt: [] }, { queueToken: [] }, { adminToken: [] }],
};

/** Every refusal a route can answer with: its own, bad input, its access's, Redis away. */
function refusalsOf(route: DocumentedRoute): ErrorCode[] {
  const codes = new Set<ErrorCode>(route.errors);
  if (route.params ?? route.query ?? route.body) codes.add(ErrorCode.BadRequest);
  for (const code of accessErrors[route.access]) codes.add(code);
  if (isEnvelope(route.response)) codes.add(ErrorCode.Unavailable);
  return [...codes].sort((a, b) => errorStatus(a) - errorStatus(b));
}

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1) + '.';

/** The route's own words, then its refusals in words (from core/platform/errors). */
function describe(route: DocumentedRoute): string {
  const refusals = refusalsOf(route).map(
    (code) => `- ${errorStatus(code)} \`${code}\`: ${errorMeaning[code]}`,
  );
  return refusals.length === 0
    ? route.description
    : `${route.description}\n\nRefusals:\n${refusals.join('\n')}`;
}

function errorResponses(route: DocumentedRoute): Record<string, Json> {
  const codes = refusalsOf(route);
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = errorStatus(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, Json> = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    const first = list[0] ?? ErrorCode.BadRequest;
    const response: Json = {
      description: list.map((code) => `${code}: ${errorMeaning[code]}`).join('; '),
      content: {
        'application/json': {
          schema: {
            allOf: [
              { $ref: '#/components/schemas/ErrorEnvelope' },
              { type: 'object', properties: { code: { enum: list } } },
            ],
          },
          example: {
            success: false,
            message: sentence(errorMeaning[first]),
            code: first,
            data: null,
          },
        },
      },
    };
    if (status === 429) {
      response.headers = {
        'Retry-After': {
          description: 'Seconds until the limit resets',
          schema: { type: 'integer', minimum: 1 },
        },
      };
    }
    responses[String(status)] = response;
  }
  return responses;
}

function successResponse(converter: SchemaConverter, route: DocumentedRoute): Json {
  const r = route.response;
  if (isEnvelope(r)) {
    return {
      description: r.description,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required: ['success', 'message', 'data'],
            properties: {
              success: { const: true },
              message: { type: 'string' },
              data: converter.convert(r.data, 'output'),
            },
          },
          example: { success: true, ...r.example },
        },
      },
    };
  }
  const schema = r.schema ? { schema: converter.convert(r.schema, 'output') } : {};
  return {
    description: r.description,
    content: { [r.contentType]: { ...schema, example: r.example } },
  };
}

function operation(converter: SchemaConverter, route: DocumentedRoute): Json {
  const op: Json = {
    operationId: operationId(route),
    summary: route.summary,
    description: describe(route),
    tags: [route.tag],
    responses: {
      [String(route.response.status ?? 200)]: successResponse(converter, route),
      ...errorResponses(route),
    },
  };
  const params = [
    ...parameters(converter, 'path', route.params, route.example?.params),
    ...parameters(converter, 'query', route.query, route.example?.query),
  ];
  if (params.length > 0) op.parameters = params;
  if (route.body) {
    op.requestBody = {
      required: true,
      content: {
        'application/json': {
          schema: converter.convert(route.body, 'input'),
          example: route.example?.body,
        },
      },
    };
  }
  const security = securityOf[route.access];
  if (security) op.security = security;
  return op;
}

export function buildOpenApi(
  registry: ApiRegistry,
  info: OpenApiInfo,
  servers: readonly OpenApiServer[],
): Json {
  const converter = new SchemaConverter();
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of registry.routes) {
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: operation(converter, route) };
  }
  return {
    openapi: '3.1.0',
    info,
    servers,
    paths,
    components: {
      schemas: {
        ...converter.components,
        ErrorEnvelope: {
          type: 'object',
          required: ['success', 'message', 'code', 'data'],
          properties: {
            success: { const: false },
            message: { type: 'string', description: 'What went wrong, naming the bad field' },
            code: { enum: Object.values(ErrorCode) },
            data: { description: 'Extra facts, e.g. the shopper’s current status, or null' },
          },
        },
      },
      securitySchemes: {
        adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' },
        shopperJwt: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'SHOPPER_AUTH=signed: a short-lived JWT the shop signs for its customer (sub = userId, exp required)',
        },
        queueToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'SHOPPER_AUTH=open: the queueToken join returned; it unlocks the shopper’s own code and hold',
        },
      },
    },
  };
}
