import { Inject, Injectable } from '@nestjs/common';
import { constantTimeEquals } from '../../../../libs/providers/src';
import type { AppConfig } from '../config';
import { CONFIG } from '../common/tokens';
import { Metrics } from './metrics';

/** The main port (admin API and everything else) or the webhook-only listener. */
export type MetricsPort = 'main' | 'listener';

export interface MetricsReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Who may read GET /metrics: anyone presenting HOOKLINE_METRICS_TOKEN as a bearer token, on the
 * main port and on the webhook-only listener alike. Without that setting no one: both ports answer
 * 404 saying how to turn them on. The webhook-only listener is the port that faces senders, often
 * the internet, so it never serves them without a credential either. One rule for both ports, so
 * the listener (a plain Fastify instance) and the main port's controller answer alike.
 */
@Injectable()
export class MetricsEndpoint {
  constructor(
    private readonly metrics: Metrics,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  async answer(port: MetricsPort, authorization: string | undefined): Promise<MetricsReply> {
    const token = this.config.metricsToken;
    if (token !== undefined) {
      const presented = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
      if (presented === undefined) return refuse(401, 'Send the metrics token as Authorization: Bearer <HOOKLINE_METRICS_TOKEN>');
      if (!constantTimeEquals(presented, token)) return refuse(401, 'The metrics token is wrong; send the value of HOOKLINE_METRICS_TOKEN');
    } else {
      return refuse(404, this.howToEnable(port));
    }
    const { contentType, body } = await this.metrics.render();
    return { status: 200, headers: { 'content-type': contentType, 'cache-control': 'no-store' }, body };
  }

  private howToEnable(port: MetricsPort): string {
    const where = port === 'listener' ? 'on this listener and on the main port' : 'here (and on the webhook-only listener)';
    return `Metrics are off: set HOOKLINE_METRICS_TOKEN (24 characters or more) to serve them ${where}, to whoever sends it as Authorization: Bearer <token>`;
  }
}

function refuse(status: 401 | 404, message: string): MetricsReply {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
  if (status === 401) headers['www-authenticate'] = 'Bearer realm="metrics"';
  return { status, headers, body: JSON.stringify({ statusCode: status, error: status === 401 ? 'Unauthorized' : 'Not Found', message }) };
}
