// Slack signs every request it sends (events, slash commands, interactivity, and the
// url_verification handshake) with an X-Slack-Signature header. Matching on the header
// alone keeps an unsigned look-alike body from being taken for Slack.
return request.headers["x-slack-signature"] !== undefined;
