// The failure type of a step that finds itself on another worker than the page's files: the page workflow starts the
// page again from its first step. Free of imports, so workflow code can name it.
export const HOST_CHANGED = 'HostChanged';
