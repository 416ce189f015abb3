// The shopper's page and the marketer's console, built by Vite into web/dist
// (`npm run build`). Page addresses are documented routes; their scripts and
// styles are static files under /assets.
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Response, type Router } from 'express';
import { z } from 'zod';
import { AppError, ErrorCode } from '../../core/platform/errors';
import { promotionIdSchema } from '../../core/model/ids';
import { projectRoot } from '../../core/platform/paths';
import type { RouteFn } from '../http/route';
import { htmlExample } from '../http/apiExamples';

export const webDist = path.join(projectRoot, 'web', 'dist');

const page = { description: 'HTML page', contentType: 'text/html', example: htmlExample } as const;

function sendPage(res: Response, file: string): void {
  const full = path.join(webDist, file);
  // Without a build there is nothing to serve: say how to make one rather than a bare 404.
  if (!existsSync(full)) {
    throw new AppError(
      ErrorCode.Unavailable,
      'The web pages are not built: run `npm run build` (npm start does it).',
    );
  }
  res.sendFile(full);
}

export function webPageRoutes(route: RouteFn): void {
  route(
    {
      method: 'get',
      path: '/',
      tag: 'pages',
      access: 'public',
      summary: 'Shopper page',
      description: 'Opened by shoppers in a browser; it asks which promotion (or use /p/{id}).',
      response: page,
    },
    (_input, _req, res) => {
      sendPage(res, 'index.html');
    },
  );
  route(
    {
      method: 'get',
      path: '/p/:promotionId',
      tag: 'pages',
      access: 'public',
      summary: 'Shopper page for one promotion (join, live queue, coupon)',
      description:
        'The link the marketer gives shoppers: join, the place in line live over Socket.IO, ' +
        'then the coupon or the hold to confirm.',
      params: z.strictObject({ promotionId: promotionIdSchema }),
      example: { params: { promotionId: '1' } },
      response: page,
      errors: [ErrorCode.BadRequest],
    },
    (_input, _req, res) => {
      sendPage(res, 'index.html');
    },
  );
  route(
    {
      method: 'get',
      path: '/admin',
      tag: 'pages',
      access: 'public',
      summary: 'Marketer console (asks for the admin token in the page)',
      description: 'Opened by marketers and operators in a browser; the page calls the admin API.',
      response: page,
    },
    (_input, _req, res) => {
      sendPage(res, 'admin/index.html');
    },
  );
}

/** The pages' scripts and styles; content-hashed names, so they may be cached for long. */
export function webAssets(): Router {
  const router = express.Router();
  router.use(
    '/assets',
    express.static(path.join(webDist, 'assets'), { immutable: true, maxAge: '365d', index: false }),
  );
  return router;
}
