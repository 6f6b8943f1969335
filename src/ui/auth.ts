import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

export const TOKEN_COOKIE = 'sluice_token';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * With a token set, every request needs it: `Authorization: Bearer <token>`, the `sluice_token` cookie, or
 * `?token=<token>` (a page request with it sets the cookie and redirects to the URL without it). Without a token,
 * requests that change something (POST) must still come from a page of this server (same Origin), so another
 * site open in the browser cannot trigger a run.
 */
export function authMiddleware(token: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === 'POST') {
      const origin = c.req.header('origin');
      if (origin !== undefined && origin !== new URL(c.req.url).origin) return c.json({ error: `origin ${origin} may not post here` }, 403);
    }
    if (!token) return next();
    const bearer = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    const cookie = getCookie(c, TOKEN_COOKIE);
    const query = c.req.query('token');
    if ((bearer && same(bearer, token)) || (cookie && same(cookie, token))) return next();
    if (query && same(query, token)) {
      setCookie(c, TOKEN_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/' });
      if (c.req.method === 'GET' && !c.req.path.startsWith('/api/')) {
        const u = new URL(c.req.url);
        u.searchParams.delete('token');
        return c.redirect(`${u.pathname}${u.search}`, 303);
      }
      return next();
    }
    if (c.req.path.startsWith('/api/')) return c.json({ error: 'this Sluice UI needs its token: send Authorization: Bearer <token>' }, 401);
    return c.html('<!doctype html><title>Sluice: token needed</title><p>This Sluice UI needs its token: open the URL with <code>?token=&lt;token&gt;</code> once.</p>', 401);
  };
}
