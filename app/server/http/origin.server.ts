// Cross-site request refusal (CSRF): a state-changing request must come from a page of this
// platform. Browsers send Origin on every POST/PUT/PATCH/DELETE; without it we fall back to
// Referer. API clients that authenticate with a bearer key and no cookie are not browsers
// and carry no ambient credentials, so they are let through.
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface OriginCheckInput {
  method: string;
  host: string | undefined;
  origin: string | undefined;
  referer: string | undefined;
  authorization: string | undefined;
  cookie: string | undefined;
}

export function isCrossSiteMutation(req: OriginCheckInput): boolean {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return false;
  const source = req.origin && req.origin !== "null" ? req.origin : req.referer;
  if (!source) {
    const bearerOnly = /^Bearer\s+\S+/i.test(req.authorization ?? "") && !req.cookie;
    return !bearerOnly;
  }
  try {
    return new URL(source).host !== req.host;
  } catch {
    return true;
  }
}
