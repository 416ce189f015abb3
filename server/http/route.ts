// One declaration per route: its zod schemas validate the request AND describe
// it in the OpenAPI document, so the docs cannot drift from what the code accepts.
import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import type { ErrorCode } from '../../core/platform/errors';
import { validate } from './envelope';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

type Schema = z.ZodType | undefined;
type Parsed<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

/** A JSON envelope answer `{ success, message, data }` with `data` of this shape. */
export interface EnvelopeResponse {
  description: string;
  data: z.ZodType;
  status?: number;
}

/** An answer that is not the envelope (metrics text, HTML, the OpenAPI document). */
export interface RawResponse {
  description: string;
  contentType: string;
  schema?: z.ZodType;
  status?: number;
}

export interface RouteSpec<
  P extends Schema = undefined,
  Q extends Schema = undefined,
  B extends Schema = undefined,
> {
  method: HttpMethod;
  /** Express path syntax (`/api/promotions/:id`). */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  /** Needs `Authorization: Bearer <ADMIN_TOKEN>`. */
  admin?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  response: EnvelopeResponse | RawResponse;
  /** Refusals this route can answer with (their statuses come from core/errors). */
  errors?: readonly ErrorCode[];
  /** Middleware run before validation, e.g. a per-IP rate limiter. */
  before?: readonly RequestHandler[];
}

export interface Input<P extends Schema, Q extends Schema, B extends Schema> {
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
}

/** What the OpenAPI builder knows of a route or of a mounted sub-application. */
export interface DocumentedRoute {
  method: HttpMethod;
  path: string;
  summary: string;
  description?: string;
  tag: string;
  admin: boolean;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response: EnvelopeResponse | RawResponse;
  errors: readonly ErrorCode[];
  /** True for a mounted application (e.g. Bull Board): its own routes live below this path. */
  mount?: boolean;
}

/** Every documented route of one app; the OpenAPI document is built from it. */
export class ApiRegistry {
  readonly routes: DocumentedRoute[] = [];

  add(route: DocumentedRoute): void {
    this.routes.push(route);
  }
}

function parse<S extends Schema>(schema: S | undefined, input: unknown): Parsed<S> {
  return (schema ? validate(schema, input) : undefined) as Parsed<S>;
}

/**
 * Registers `handler` on `router` and documents it in `registry`. `adminOnly`
 * guards routes declared `admin: true`; `adminLimit` (if any) runs before it.
 */
export function apiRoutes(
  router: Router,
  registry: ApiRegistry,
  admin: { only: RequestHandler; limit?: RequestHandler },
) {
  return function route<
    P extends Schema = undefined,
    Q extends Schema = undefined,
    B extends Schema = undefined,
  >(
    spec: RouteSpec<P, Q, B>,
    handler: (input: Input<P, Q, B>, req: Request, res: Response) => Promise<void> | void,
  ): void {
    registry.add({
      method: spec.method,
      path: spec.path,
      summary: spec.summary,
      description: spec.description,
      tag: spec.tag,
      admin: spec.admin ?? false,
      params: spec.params,
      query: spec.query,
      body: spec.body,
      response: spec.response,
      errors: spec.errors ?? [],
    });
    const guards: RequestHandler[] = spec.admin
      ? [...(admin.limit ? [admin.limit] : []), admin.only]
      : [];
    router[spec.method](spec.path, ...guards, ...(spec.before ?? []), async (req, res) => {
      const input: Input<P, Q, B> = {
        params: parse<P>(spec.params, req.params),
        query: parse<Q>(spec.query, req.query),
        body: parse<B>(spec.body, req.body),
      };
      await handler(input, req, res);
    });
  };
}

export type RouteFn = ReturnType<typeof apiRoutes>;
