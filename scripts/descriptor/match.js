// Made from this provider's descriptor (its pathSuffix): claims every request sent to
// /webhooks/<uri> where <uri> is one of these or lies under one of them, so "shop" also owns
// "shop/orders". The signature is checked after this, by the provider's verification: a request
// here without a valid signature is claimed, then refused with 401.
const uris = ["example"];
return uris.some((uri) => request.uri === uri || request.uri.startsWith(uri + "/"));
