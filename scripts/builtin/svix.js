// Svix sends svix-id, svix-timestamp and svix-signature headers; other Standard Webhooks
// senders send the same values as webhook-id, webhook-timestamp and webhook-signature.
const headers = request.headers;
return headers["svix-id"] !== undefined || headers["webhook-id"] !== undefined;
