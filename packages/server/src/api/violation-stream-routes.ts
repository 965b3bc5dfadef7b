import type { ViolationRecord } from '@betrace/store';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { failure } from './errors.ts';
import { addRoute } from './route.ts';
import * as s from './schemas.ts';
import { SseConnection } from './sse-connection.ts';
import { violationView } from './violation-routes.ts';
import { type StreamFilter, matchesStreamFilter, parseStreamEventId, replayAfter, streamEventId } from './violation-stream-replay.ts';

/** Tuning of the live stream; the defaults suit production, tests shorten them. */
export interface ViolationStreamOptions {
  /** Interval of the `: heartbeat` comment (default 15 s). */
  heartbeatMs?: number;
  /** Unsent bytes per client before it is disconnected with `event: overflow` (default 1 MiB). */
  maxBufferedBytes?: number;
  /** Live events held per client while its replay runs (default 10,000). */
  maxPendingEvents?: number;
  /** Violations replayed per connection; a client that missed more continues on its next one (default 10,000). */
  maxReplay?: number;
}

const query = s.violationFilterQuery.pick({ ruleId: true, severity: true, service: true }).extend({
  lastEventId: z.string().max(64).optional(),
  access_token: z.string().max(256).optional(),
});

/** `GET /api/v1/violations/stream`: newly recorded violations as server-sent events, resumable. */
export function registerViolationStreamRoute(app: FastifyInstance, ctx: ServerContext, options: ViolationStreamOptions = {}): void {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;
  const maxPending = options.maxPendingEvents ?? 10_000;
  const maxReplay = options.maxReplay ?? 10_000;
  const open = new Set<SseConnection>();
  const logger = ctx.logger.child({ component: 'violation-stream' });
  // Streams never end by themselves; without this the server's close would wait for every client.
  app.addHook('preClose', async () => {
    for (const c of open) c.close();
  });

  addRoute(app, {
    method: 'GET', url: '/api/v1/violations/stream', access: 'viewer', tags: ['violations'], queryToken: true,
    summary: 'Newly recorded violations, live, as server-sent events',
    description: [
      'A `text/event-stream`. Each violation recorded from now on arrives as `event: violation` with `id: <detectedAt>-<id>` and, as `data`, the record as `GET /api/v1/violations/{id}` returns it (without `signatureValid`).',
      'A `: heartbeat` comment every 15 s keeps proxies from closing an idle stream. `ruleId`, `severity` and `service` filter as in the list.',
      'Resuming: send the last `id` seen as the `Last-Event-ID` header (EventSource does this when it reconnects) or as `lastEventId`; every violation after it is replayed oldest first, then the stream goes on live without gaps or duplicates. A replay is capped at 10,000 violations; after a capped replay the server ends the stream and the client continues by reconnecting.',
      'A client that reads too slowly gets a final `event: overflow` and is disconnected; reconnect with `Last-Event-ID` to continue.',
      'EventSource cannot send headers, so this endpoint also takes the API key as `access_token` in the query. Prefer the header where you can: URLs end up in proxy logs and browser history.',
    ].join('\n\n'),
    query,
    responses: { 200: { description: 'An endless stream of server-sent events', contentType: 'text/event-stream' } },
    handler: async ({ query: q, request, reply, fail }) => {
      const header = request.headers['last-event-id'];
      const resumeText = typeof header === 'string' && header !== '' ? header : q.lastEventId;
      const resumeFrom = resumeText === undefined ? undefined : parseStreamEventId(resumeText);
      if (resumeText !== undefined && resumeFrom === undefined) {
        return fail(failure('invalid_request', `Last-Event-ID "${resumeText.slice(0, 64)}" is not an event id of this stream; expected <detectedAt>-<violation id> as sent in "id:"`));
      }
      const filter: StreamFilter = {
        ...(q.ruleId === undefined ? {} : { ruleId: q.ruleId }),
        ...(q.severity === undefined ? {} : { severity: q.severity }),
        ...(q.service === undefined ? {} : { service: q.service }),
      };

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // nginx and similar proxies would otherwise buffer the stream
        'x-accel-buffering': 'no',
        'x-request-id': String(request.id),
      });
      res.flushHeaders();

      let replaying = resumeFrom !== undefined;
      let pending: ViolationRecord[] = [];
      // Ids sent by the replay: a record stored before the replay read it may be announced just after.
      const replayed = new Set<string>();
      const send = (r: ViolationRecord): void => void conn.send({ event: 'violation', id: streamEventId(r), data: JSON.stringify(violationView(r)) });
      const heartbeat = setInterval(() => conn.comment('heartbeat'), heartbeatMs);
      // Subscribe before replaying: a violation stored while the replay reads arrives here and is
      // held, so nothing falls between the replay and the live part.
      let unsubscribe = (): void => {};
      const conn: SseConnection = new SseConnection(res, {
        maxBufferedBytes,
        onClose: (reason) => {
          unsubscribe();
          clearInterval(heartbeat);
          open.delete(conn);
          pending = [];
          ctx.metrics.violationStreams.dec();
          if (reason === 'overflow') {
            ctx.metrics.violationStreamOverflows.inc();
            logger.warn({ requestId: request.id }, 'violation stream client read too slowly; disconnected it with event: overflow');
          }
        },
      });
      open.add(conn);
      ctx.metrics.violationStreams.inc();
      unsubscribe = ctx.events.on((r) => {
        if (!matchesStreamFilter(r, filter) || replayed.has(r.id)) return;
        if (!replaying) return send(r);
        if (pending.length >= maxPending) return conn.overflow(`more than ${maxPending} new violations arrived during the replay`);
        pending.push(r);
      });
      // A client gone while its key was checked never fires 'close' on this response again.
      if (res.destroyed || request.raw.destroyed) return conn.close();
      conn.comment('connected');
      if (resumeFrom === undefined) return;

      try {
        const replay = await replayAfter(ctx.stores.violations, filter, resumeFrom, maxReplay);
        for (const r of replay.records) {
          if (!conn.open) return;
          send(r);
          replayed.add(r.id);
        }
        // What happened meanwhile is replayed on the next connection, which starts after the last record sent.
        if (replay.truncated) return conn.close();
        replaying = false;
        const held = pending;
        pending = [];
        for (const r of held) if (!replayed.has(r.id)) send(r);
      } catch (err) {
        logger.error({ err, requestId: request.id }, 'violation stream replay failed; the client will reconnect');
        conn.close();
      }
    },
  });
}
