/** A registered runner as `GET /api/runners` lists it: never its token. */
export interface Runner {
  id: string;
  name: string;
  /** The providers whose events it sees on the event stream; null for every provider. */
  providers: string[] | null;
  createdAt: string;
  /** When the runner last used its token; null until it does. */
  lastSeenAt: string | null;
}

/** The answer to `POST /api/runners`: the only time the token is sent. */
export interface CreatedRunner {
  id: string;
  name: string;
  providers: string[] | null;
  token: string;
  createdAt: string;
}

/** One condition a parked task waits for. */
export interface TaskWait {
  key: string;
  repository?: string;
  branch?: string;
  pullRequest?: number;
  issue?: string | number;
  where?: string;
}

/** A task as `GET /api/tasks?state=parked` lists it. */
export interface ParkedTask {
  id: string;
  name: string;
  status: string;
  parkedAt: string | null;
  waitFor: TaskWait[] | null;
  waitUntil: string | null;
  onTimeout: 'fail' | 'resume' | null;
  parkedBy: string | null;
}
