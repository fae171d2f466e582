/**
 * What authentication looks like in Node services: the names of middleware, guards and hooks
 * that authenticate, the names of the ones that certainly do not (parsers, validators, rate
 * limiters…), the code that checks a caller inside a function body, and the routes that must
 * stay public (the auth flow itself, webhooks, probes). Data and pure predicates only.
 *
 * Precision first: anything that might authenticate counts as authentication. A rule built on
 * this reports a route only when nothing in its chain could be an authentication step.
 */

/** How a middleware, guard or hook in a route's chain reads. */
export type AuthVerdict = 'auth' | 'unknown' | 'none';

/** Rate limiters are named after the route they protect (`loginLimiter`): never authentication. */
const LIMITER = /limit/i;
/** Security-header middleware (`lusca.xssProtection`, `helmet.frameguard`): no authentication, despite "protect". */
const SECURITY_HEADERS = /xssProtection|xframe|frameguard|hsts|contentSecurityPolicy|\bcsp\b|nosniff|referrerPolicy|helmet/i;
/** Names that say authentication or authorization (`authorize()`, `passport.authenticate`, `requireAdmin`, `validateSessionMiddleware`, `jwt()`). */
const AUTH_NAME = /auth|guard|protect|jwt|bearer|logged|requireLogin|requireUser|requireAdmin|isAdmin|adminOnly|permission|roles?(?:$|[A-Z_])|acl|api_?key|signature|token|session(?=\w*(?:valid|check|require|verif))|(?:valid|check|require|verif)\w*session|ensure[A-Z]|restrict|can[A-Z]|passport\.authenticate|firewall|secured?|login/i;
/**
 * Middleware that parses, validates, logs, serves or limits, and does not authenticate. A
 * middleware named like none of these and not like authentication is `unknown`.
 */
const NOT_AUTH_NAME = /json|urlencoded|\braw\b|\btext\b|static|upload|multer|\bsingle\b|\bfields\b|schema|validat|\bvalid|celebrate|zod|pars(?:e|er)|bodyParser|koaBody|cors|csrf|lusca|\blog|logger|morgan|pino|cache|compress|helmet|sanitiz|dto|pipe|timeout|metric|trac(?:e|ing)|cookie|flash|i18n|locale|serve|favicon|methodOverride|errorHandler|notFound|asyncHandler|catchAsync|wrap|^session$|cookieSession|passport\.(?:initialize|session)|routes?$|router$|Router\(\)|\.routes\(\)|allowedMethods|requestId|responseTime|ratelimit|throttle|conditional|etag|noCache|nocache|express\.\w+|swagger|docs|error|hpp|actuator|apm|rewrite|slash|health|notFound|sessionMiddleware|xframe|xssProtection|poweredBy|requestLogger|context|prometheus|opentelemetry|sentry/i;

/** Classifies a middleware by the name it is written with (`auth`, `passport.authenticate('jwt')`, `validate(schema)`). */
export function middlewareNameVerdict(name: string): AuthVerdict {
  if (LIMITER.test(name) && !/auth/i.test(name)) return 'none';
  if (SECURITY_HEADERS.test(name)) return 'none';
  if (/^passport\.(?:initialize|session)$/.test(name)) return 'none';
  if (AUTH_NAME.test(name)) return 'auth';
  if (NOT_AUTH_NAME.test(name)) return 'none';
  return 'unknown';
}

/**
 * Code that checks who the caller is: verifying a token, rejecting with 401/403, reading the
 * authenticated user (`req.user`, `ctx.state.user`), asking the session or an auth helper.
 */
const AUTH_CHECK = /\b40[13]\b|Unauthori[sz]ed|Forbidden|isAuthenticated|\.verify\s*\(|jwtVerify|verifyToken|verifyIdToken|getServerSession|getSession\s*\(|\bauth\s*\(\s*\)|validateSession|currentUser|getUser\s*\(|\breq(?:uest)?\.(?:user|auth|session)\b|ctx\.state\.user|\bsession\.(?:user|userId|passport)|authorization|x-api-key|\breq\.cookies\b|\bget(?:Customer|User|Account|Owner)Id\s*\(/i;

/**
 * What a gate looks like in a middleware: it rejects (401/403), verifies a token or asks whether
 * the caller is authenticated. Reading `req.user` (`res.locals.user = req.user`) is no gate.
 */
const GATE = /\b40[13]\b|Unauthori[sz]ed|Forbidden|isAuthenticated|\.verify\s*\(|jwtVerify|verifyToken|verifyIdToken|getServerSession|validateSession|redirect\(\s*['"`][^'"`]*(?:login|signin|sign-in)|x-api-key/i;

/** Whether a handler body (its text) checks or uses the caller's identity. */
export function bodyChecksCaller(text: string): boolean {
  return AUTH_CHECK.test(text);
}

/** Whether a middleware or hook body (its text) rejects unauthenticated callers. */
export function bodyGatesCaller(text: string): boolean {
  return GATE.test(text);
}

/** A relative module that holds routers rather than middleware (`./api/cart`, `./routes/users`). */
export function isRouterModule(specifier: string, local: string): boolean {
  if (!specifier.startsWith('.')) return false;
  if (/auth|guard|passport|secur|acl|permission|session|jwt|token/i.test(specifier + ' ' + local)) return false;
  return /(?:^|\/)(?:api|apis|routes?|routers?|controllers?|endpoints?|handlers?|modules?|resources?|v\d+)(?:\/|$)/i.test(specifier) || /router|routes?$|api$|controller$/i.test(local);
}

/**
 * Routes that are public by design: the authentication flow itself (login, signup, password
 * reset, token refresh, OAuth callbacks, e-mail verification), webhooks (their signature is
 * the authentication), GraphQL (authorised per resolver), probes and metrics.
 */
const PUBLIC_SEGMENT = /^(?:auth|oauth2?|login|log-in|logout|log-out|signin|sign-in|signout|sign-out|signup|sign-up|register|registration|password|forgot|forgot-password|reset|reset-password|resetPassword|verify|verify-email|confirm|activate|token|tokens|refresh|refresh-token|callback|webhooks?|session|sessions|otp|totp|2fa|mfa|magic-link|invite|invitation|unsubscribe|csp-report|graphql|health|healthz|ready|readyz|live|livez|metrics|bootstrap|authenticate|revoke-token|validate-reset-token)$/i;

/** Whether a route (as written) is part of the public auth flow, a webhook, GraphQL or a probe. */
export function isPublicByDesign(route: string): boolean {
  return route.split(/[?#]/)[0].split('/').some((segment) => PUBLIC_SEGMENT.test(segment) || /^(?:sign|log)(?:in|up|out)|^login|^logout|^signup|^register|password|webhook|callback|^verify|^confirm|^reset|^forgot/i.test(segment));
}

/** HTTP methods that change state. */
export function isStateChanging(method: string): boolean {
  return /^(?:POST|PUT|PATCH|DELETE)$/i.test(method);
}

/** Fastify hooks that run before the handler and can reject a request. */
export const FASTIFY_AUTH_HOOKS: ReadonlySet<string> = new Set(['onRequest', 'preParsing', 'preValidation', 'preHandler']);
