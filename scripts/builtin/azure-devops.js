// Azure DevOps service hooks send no header of their own, so look at the body instead:
// every service hook message is a JSON envelope with a publisherId ("tfs", "rm", ...)
// and an eventType ("git.push", "build.complete", ...).
// request.json is null when the body is not JSON, so check it before reading fields.
const body = request.json;
return body !== null && typeof body === "object"
  && typeof body.publisherId === "string"
  && typeof body.eventType === "string";
