// One declaration per route: its zod schemas validate the request AND describe
// it in the OpenAPI document, so the docs cannot drift from what the code accepts.
import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import type { ErrorCode } from '../../core/platform/errors';
import { anonymous, type Caller } from '../../core/useCases/callers';
import { validate } from './envelope';
import type { Access } from './shopperAuth';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

type Schema = z.ZodType | undefined;
type Parsed<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;
type Sample<S extends Schema> = S extends z.ZodType ? z.input<S> : never;

/** A JSON envelope answer `{ success, message, data }` with `data` of this shape. */
export interface EnvelopeResponse {
  description: string;
  data: z.ZodType;
  status?: number;
  /** A sample answer for the docs: the envelope's message and a `data` that `data` accepts. */
  example: { message: string; data: unknown };
}

/** An answer that is not the envelope (metrics text, HTML, the OpenAPI document). */
export interface RawResponse {
  description: string;
  contentType: string;
  schema?: z.ZodType;
  status?: number;
  /** A sample body for the docs (a string for text and HTML). */
  example: unknown;
}

/** Sample inputs for the docs; the OpenAPI test parses each with its schema. */
export interface RequestExample<P = unknown, Q = unknown, B = unknown> {
  params?: P;
  query?: Q;
  body?: B;
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
  /** Who calls it and what it does, in words; the refusals are added from `errors`. */
  description: string;
  tag: string;
  /** Who may call it (shopperAuth.ts); enforced here and documented as security requirements. */
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  /** Required when the route takes params, a query or a body (the OpenAPI test checks). */
  example?: RequestExample<Sample<P>, Sample<Q>, Sample<B>>;
  response: EnvelopeResponse | RawResponse;
  /** Refusals this route can answer with (their statuses come from core/errors). */
  errors?: readonly ErrorCode[];
  /** Middleware run before validation, e.g. a per-IP rate limiter. */
  before?: readonly RequestHandler[];
  /**
   * Most of a launch night's traffic (join, status): registered on the app's
   * first layer with the app's middleware chain inlined (HotRoutes), so Express
   * does not walk every other layer for it.
   */
  hot?: boolean;
}

export interface Input<P extends Schema, Q extends Schema, B extends Schema> {
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
  /** Who is calling, as proved for the route's access ('anonymous' on public routes). */
  caller: Caller;
}

/** What the OpenAPI builder knows of a route or of a mounted sub-application. */
export interface DocumentedRoute {
  method: HttpMethod;
  path: string;
  summary: string;
  description: string;
  tag: string;
  access: Access;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  example?: RequestExample;
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

/** How the app proves callers: the admin guard, and the shopper/owner identification. */
export interface AccessControl {
  adminOnly: RequestHandler;
  /** Runs before the admin guard (a per-IP limit, so guessing the token is throttled). */
  adminLimit?: RequestHandler;
  identify: (req: Request, access: 'shopper' | 'owner') => Promise<Caller>;
}

/** Where hot routes go: the app itself, ahead of its middleware, which runs as their prelude. */
export interface HotRoutes {
  router: Pick<Router, HttpMethod>;
  prelude: RequestHandler;
}

/**
 * Middleware run in order as one handler: each layer costs Express a dispatch,
 * and a hot route would have six. For middleware that calls next (no promises).
 */
export function inline(handlers: readonly RequestHandler[]): RequestHandler {
  return (req, res, next) => {
    let at = 0;
    const step = (err?: unknown): void => {
      const handler = handlers[at++];
      if (err !== undefined || handler === undefined) next(err);
      else void handler(req, res, step);
    };
    step();
  };
}

/**
 * Registers `handler` on `router` and documents it in `registry`. Admin routes
 * are guarded before anything else; shopper and owner routes are identified
 * after their input is validated (bad input is a 400 whatever the proof).
 */
export function apiRoutes(
  router: Router,
  registry: ApiRegistry,
  control: AccessControl,
  hot?: HotRoutes,
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
      access: spec.access,
      params: spec.params,
      query: spec.query,
      body: spec.body,
      example: spec.example,
      response: spec.response,
      errors: spec.errors ?? [],
    });
    const { access } = spec;
    const guards: RequestHandler[] =
      access === 'admin'
        ? [...(control.adminLimit ? [control.adminLimit] : []), control.adminOnly]
        : [];
    const [on, prelude] = spec.hot && hot ? [hot.router, [hot.prelude]] : [router, []];
    on[spec.method](spec.path, ...prelude, ...guards, ...(spec.before ?? []), async (req, res) => {
      const params = parse<P>(spec.params, req.params);
      const query = parse<Q>(spec.query, req.query);
      const body = parse<B>(spec.body, req.body);
      const caller: Caller =
        access === 'admin'
          ? { kind: 'admin' }
          : access === 'public'
            ? anonymous
            : await control.identify(req, access);
      await handler({ params, query, body, caller }, req, res);
    });
  };
}

export type RouteFn = ReturnType<typeof apiRoutes>;
