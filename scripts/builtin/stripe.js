// Stripe signs every event it sends with a Stripe-Signature header ("t=...,v1=...").
return request.headers["stripe-signature"] !== undefined;
