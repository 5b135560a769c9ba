/**
 * The dashboard: a page the validator API serves at `GET /dashboard`, with its assets at `/dashboard/<file>`.
 * Plain ES modules and CSS from `assets/` (no build step), plus uPlot's ESM build and stylesheet resolved from
 * node_modules, so the page loads nothing from outside the API. The files carry no data, so they are served
 * without a key; the page asks for one and calls the `/v1` routes with it.
 *
 * Every file is read once, when the router is made, into an allowlist keyed by its URL name: a request names
 * a file of that list or gets 404, so no path from a request ever reaches the file system.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Router, type Response } from 'express';
import { ValidatorApiError } from '../errors';

/** The page's Content-Security-Policy: its own scripts, styles and API only (images: a picked file, drawn canvases). */
export const DASHBOARD_CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:", "connect-src 'self'",
  "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** The files uPlot's package serves to the page, by the names the page imports them under. */
const VENDOR: ReadonlyArray<readonly [name: string, module: string]> = [
  ['uPlot.esm.js', 'uplot/dist/uPlot.esm.js'],
  ['uPlot.min.css', 'uplot/dist/uPlot.min.css'],
];

export interface DashboardAsset {
  readonly contentType: string;
  readonly body: Buffer;
}

/**
 * The assets folder: next to this module in the sources; from the build (`dist/validator/api/dashboard/`,
 * where tsc copies no assets) the repository's `validator/api/dashboard/assets/`.
 */
function assetsDir(): string {
  const candidates = [join(__dirname, 'assets'), join(__dirname, '..', '..', '..', '..', 'validator', 'api', 'dashboard', 'assets')];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (found === undefined) throw new ValidatorApiError('InvalidOptions', `the dashboard's assets are missing (looked in ${candidates.join(', ')})`, { candidates });
  return found;
}

/** Every file the dashboard serves, by URL name (`index.html`, `app.js`, `uPlot.esm.js`, …). @throws ValidatorApiError `InvalidOptions` when the files are missing */
export function dashboardAssets(): ReadonlyMap<string, DashboardAsset> {
  const dir = assetsDir();
  const assets = new Map<string, DashboardAsset>();
  for (const name of readdirSync(dir).sort()) {
    const contentType = CONTENT_TYPES[extname(name)];
    if (contentType !== undefined) assets.set(name, { contentType, body: readFileSync(join(dir, name)) });
  }
  for (const [name, module] of VENDOR) assets.set(name, { contentType: CONTENT_TYPES[extname(name)]!, body: readFileSync(require.resolve(module)) });
  return assets;
}

function send(res: Response, asset: DashboardAsset): void {
  res.setHeader('Content-Type', asset.contentType);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-cache');
  res.end(asset.body);
}

/**
 * `GET /dashboard` (the page) and `GET /dashboard/<file>`; other names fall through to the API's 404.
 * `/dashboard/` redirects to `/dashboard`: the page links its assets relative to that URL (`dashboard/app.js`,
 * `v1/…`), which keeps it working behind a reverse proxy that mounts the API under a prefix.
 */
export function dashboardRouter(assets: ReadonlyMap<string, DashboardAsset> = dashboardAssets()): Router {
  const page = assets.get('index.html')!;
  const router = Router({ caseSensitive: true, strict: true });
  router.get('/dashboard', (_req, res) => {
    res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    send(res, page);
  });
  router.get('/dashboard/', (_req, res) => {
    res.redirect(308, '../dashboard');
  });
  router.get('/dashboard/:file', (req, res, next) => {
    const asset = req.params.file === 'index.html' ? undefined : assets.get(req.params.file);
    if (asset === undefined) return next();
    send(res, asset);
  });
  return router;
}
