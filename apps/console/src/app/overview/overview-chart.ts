import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MESSAGE_STATUSES, type MessageStatus } from '../messages/message-types';
import { type StatusTone, toneOf } from '../messages/status-badge';
import type { OverviewBucket, OverviewView } from './overview.api';

const WIDTH = 720;
const HEIGHT = 180;
/** Room for the scale on the left and the times below. */
const LEFT = 36;
const BOTTOM = 22;
const TOP = 8;

/** Bottom to top: what went well first, what went wrong on top where it catches the eye. */
const TONES: ReadonlyArray<{ tone: StatusTone; label: string }> = [
  { tone: 'ok', label: 'processed' },
  { tone: 'other', label: 'no provider, no function or duplicate' },
  { tone: 'wait', label: 'on their way' },
  { tone: 'bad', label: 'failed, dead or unauthorized' },
];

interface Segment {
  tone: StatusTone;
  y: number;
  height: number;
}

interface Bar {
  x: number;
  width: number;
  segments: Segment[];
  title: string;
}

/**
 * Messages per bucket as stacked bars, drawn by hand in SVG (a chart library would outweigh the
 * rest of the page). The same numbers are in a table below it for screen readers and for reading
 * exact values.
 */
@Component({
  selector: 'hl-overview-chart',
  imports: [DatePipe],
  template: `
    <figure>
      <svg [attr.viewBox]="'0 0 ' + width + ' ' + height" role="img" [attr.aria-label]="summary()" class="chart">
        <line class="axis" [attr.x1]="left" [attr.x2]="width" [attr.y1]="baseline" [attr.y2]="baseline" />
        <text class="scale" [attr.x]="left - 6" [attr.y]="top + 10" text-anchor="end">{{ scaleMax() }}</text>
        <text class="scale" [attr.x]="left - 6" [attr.y]="baseline" text-anchor="end">0</text>
        @for (bar of bars(); track bar.x) {
          <g>
            <title>{{ bar.title }}</title>
            @for (segment of bar.segments; track segment.tone) {
              <rect [attr.class]="'bar ' + segment.tone" [attr.x]="bar.x" [attr.width]="bar.width" [attr.y]="segment.y" [attr.height]="segment.height" />
            }
          </g>
        }
        @for (tick of ticks(); track tick.x) {
          <text class="scale" [attr.x]="tick.x" [attr.y]="height - 6" [attr.text-anchor]="tick.anchor">{{ tick.at | date: 'HH:mm' }}</text>
        }
      </svg>
      <figcaption>
        <ul class="legend" aria-label="Colours">
          @for (entry of tones; track entry.tone) {
            <li><span class="swatch" [class]="'swatch ' + entry.tone" aria-hidden="true"></span>{{ entry.label }}</li>
          }
        </ul>
      </figcaption>
    </figure>
    <details>
      <summary>The numbers as a table</summary>
      <table class="numbers" [attr.aria-label]="'Messages per ' + unit() + ' by status'">
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">All</th>
            @for (status of statuses(); track status) { <th scope="col">{{ status.replace('_', ' ') }}</th> }
          </tr>
        </thead>
        <tbody>
          @for (bucket of filled(); track bucket.start) {
            <tr>
              <th scope="row"><time [attr.datetime]="bucket.start">{{ bucket.start | date: 'MMM d, HH:mm' }}</time></th>
              <td>{{ bucket.total }}</td>
              @for (status of statuses(); track status) { <td>{{ bucket.byStatus[status] ?? 0 }}</td> }
            </tr>
          } @empty {
            <tr><td [attr.colspan]="statuses().length + 2" class="muted">No messages in this range.</td></tr>
          }
        </tbody>
      </table>
      <p class="muted">{{ unit() === 'minute' ? 'Minutes' : 'Quarter hours' }} without messages are left out.</p>
    </details>
  `,
  styles: `
    figure { margin: 0; }
    .chart { display: block; width: 100%; height: auto; max-height: 16rem; }
    .axis { stroke: var(--border); }
    .scale { fill: var(--muted); font-size: 11px; }
    .bar.ok, .swatch.ok { fill: var(--ok); background: var(--ok); }
    .bar.bad, .swatch.bad { fill: var(--danger); background: var(--danger); }
    .bar.wait, .swatch.wait { fill: var(--accent); background: var(--accent); }
    .bar.other, .swatch.other { fill: var(--muted); background: var(--muted); }
    .legend { display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; list-style: none; margin: 0.4rem 0 0; padding: 0; font-size: 0.9rem; }
    .swatch { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 2px; margin-right: 0.35rem; vertical-align: -0.1rem; }
    details { margin-top: 0.6rem; }
    .numbers { border-collapse: collapse; margin-top: 0.4rem; font-variant-numeric: tabular-nums; }
    .numbers th, .numbers td { padding: 0.2rem 0.6rem; border-bottom: 1px solid var(--border); text-align: right; }
    .numbers th[scope='row'] { text-align: left; font-weight: normal; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OverviewChart {
  readonly view = input.required<OverviewView>();

  protected readonly width = WIDTH;
  protected readonly height = HEIGHT;
  protected readonly left = LEFT;
  protected readonly top = TOP;
  protected readonly baseline = HEIGHT - BOTTOM;
  protected readonly tones = TONES;

  protected readonly unit = computed(() => (this.view().bucketSeconds === 60 ? 'minute' : '15 minutes'));
  /** A round number at or above the busiest bucket, so the scale reads easily. */
  protected readonly scaleMax = computed(() => niceCeiling(Math.max(1, ...this.view().buckets.map((b) => b.total))));
  /** Statuses with at least one message in the range, in the API's order. */
  protected readonly statuses = computed(() => MESSAGE_STATUSES.filter((status) => this.view().totals.byStatus[status] > 0));
  protected readonly filled = computed(() => this.view().buckets.filter((bucket) => bucket.total > 0));

  protected readonly bars = computed<Bar[]>(() => {
    const buckets = this.view().buckets;
    const slot = (WIDTH - LEFT) / Math.max(1, buckets.length);
    const scale = (this.baseline - TOP) / this.scaleMax();
    return buckets.flatMap((bucket, index) => {
      if (bucket.total === 0) return [];
      const counts = countByTone(bucket);
      let y = this.baseline;
      const segments: Segment[] = [];
      for (const { tone } of TONES) {
        const height = counts[tone] * scale;
        if (height === 0) continue;
        y -= height;
        segments.push({ tone, y, height });
      }
      return [{ x: LEFT + index * slot + slot * 0.1, width: slot * 0.8, segments, title: describe(bucket) }];
    });
  });

  protected readonly ticks = computed(() => {
    const buckets = this.view().buckets;
    if (buckets.length === 0) return [];
    const slot = (WIDTH - LEFT) / buckets.length;
    const middle = Math.floor(buckets.length / 2);
    return [
      { x: LEFT, at: buckets[0].start, anchor: 'start' },
      { x: LEFT + middle * slot, at: buckets[middle].start, anchor: 'middle' },
      { x: WIDTH, at: buckets[buckets.length - 1].start, anchor: 'end' },
    ];
  });

  protected readonly summary = computed(() => {
    const view = this.view();
    const busiest = view.buckets.reduce<OverviewBucket | undefined>((top, bucket) => (bucket.total > (top?.total ?? 0) ? bucket : top), undefined);
    const range = view.range === '1h' ? 'the last hour' : 'the last day';
    if (!busiest) return `Messages per ${this.unit()} in ${range}: none.`;
    const at = new Date(busiest.start).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    return `Messages per ${this.unit()} in ${range}: ${view.totals.messages} in all, the most (${busiest.total}) from ${at}. The table below has every number.`;
  });
}

function countByTone(bucket: OverviewBucket): Record<StatusTone, number> {
  const counts: Record<StatusTone, number> = { ok: 0, bad: 0, wait: 0, other: 0 };
  for (const [status, count] of Object.entries(bucket.byStatus) as Array<[MessageStatus, number]>) counts[toneOf(status)] += count;
  return counts;
}

function describe(bucket: OverviewBucket): string {
  const at = new Date(bucket.start).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const parts = Object.entries(bucket.byStatus).map(([status, count]) => `${count} ${status.replace('_', ' ')}`);
  return `${at}: ${bucket.total} (${parts.join(', ')})`;
}

/** 1, 2, 5, 10, 20, 50…: the smallest of these at or above `value`. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((factor) => factor * power >= value) ?? 10;
  return step * power;
}
