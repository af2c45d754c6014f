/** A registered runner as `GET /api/runners` lists it: never its token. */
export interface Runner {
  id: string;
  name: string;
  createdAt: string;
  /** When the runner last used its token; null until it does. */
  lastSeenAt: string | null;
}

/** The answer to `POST /api/runners`: the only time the token is sent. */
export interface CreatedRunner {
  id: string;
  name: string;
  token: string;
  createdAt: string;
}
