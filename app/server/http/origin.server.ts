// Cross-site request refusal (CSRF): a state-changing request must come from a page of this
// platform. Browsers send Origin on every POST/PUT/PATCH/DELETE; without it we fall back to
// Referer. A request with neither carries no browser context: it is refused when it carries a
// cookie (ambient credentials), and let through otherwise (API clients: a bearer key, or signing in).
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface OriginCheckInput {
  method: string;
  host: string | undefined;
  origin: string | undefined;
  referer: string | undefined;
  cookie: string | undefined;
}

export function isCrossSiteMutation(req: OriginCheckInput): boolean {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return false;
  const source = req.origin && req.origin !== "null" ? req.origin : req.referer;
  if (!source) return !!req.cookie;
  try {
    return new URL(source).host !== req.host;
  } catch {
    return true;
  }
}
