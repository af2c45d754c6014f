// Bitbucket Cloud and Data Center name every delivery in the X-Event-Key header:
// "repo:push", "pullrequest:fulfilled" (Cloud), "repo:refs_changed", "pr:merged" (Data Center).
return request.headers["x-event-key"] !== undefined;
