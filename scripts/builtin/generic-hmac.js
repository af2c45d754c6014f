// Home-grown senders that sign the body with a shared secret (HMAC-SHA256) put the signature
// in one of these headers, or in a ?signature= query parameter when they cannot set headers.
const headers = request.headers;
return headers["x-signature-256"] !== undefined
  || headers["x-signature"] !== undefined
  || headers["x-webhook-signature"] !== undefined
  || request.query.signature !== undefined;
