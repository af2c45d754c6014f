import { Injectable } from '@nestjs/common';
import { QueueSignal } from '../queue/queue-signal';

/** Wakes the run worker when this process records a pending run. */
@Injectable()
export class RunSignal extends QueueSignal {}
