// Attachment bytes at /download/attachments/{pageId}/{filename}, behind the same auth and visibility as the page.
import { attachmentBytes } from '../files';
import { bytes } from '../http/respond';
import { route, type Route } from '../http/router';
import { ApiError, type RequestContext, type SimResponse } from '../http/types';

export function downloadRoutes(seed: number): Route[] {
  const download = (ctx: RequestContext): SimResponse => {
    const { pageId, rest: filename } = ctx.params;
    const page = ctx.site.page(pageId);
    const att =
      page && ctx.site.canView(ctx.user.id, page.id) ? page.attachments.find((a) => a.title === filename) : undefined;
    if (!att) throw new ApiError(404, `No attachment ${filename} on page ${pageId}`);
    const body = attachmentBytes(att, seed);
    return bytes(body, att.mediaType, {
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(att.title)}`,
    });
  };
  return [route('GET', '/download/attachments/{pageId}/{rest}', 'plain', download)];
}
