// Jira names every delivery in the body's webhookEvent field:
// "jira:issue_created", "jira:issue_updated", "comment_created", ...
// request.json is null when the body is not JSON, so check it before reading fields.
const body = request.json;
return body !== null && typeof body === "object" && typeof body.webhookEvent === "string";
