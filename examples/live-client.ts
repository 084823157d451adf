import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** Follows the meetings of the caller's offices as they change, from `cursor` on (or from now). */
export function followMeetings(
  url: string, // ws://localhost:4000/graphql
  token: string,
  onChange: (change: { op: string; meetingId: string; version: number; cursor: string }) => void,
  cursor?: string, // the last change's cursor: resume after it, nothing missed
): () => void {
  const client = createClient({
    url,
    webSocketImpl: WebSocket, // a browser has its own
    connectionParams: { Authorization: `Bearer ${token}` },
  });
  return client.subscribe<{ meetingChanged: Parameters<typeof onChange>[0] }>(
    {
      query: `subscription ($after: String) {
        meetingChanged(after: $after) { op meetingId version cursor }
      }`,
      variables: { after: cursor ?? null },
    },
    {
      next: ({ data }) => data && onChange(data.meetingChanged),
      error: (error) => console.error('subscription failed', error),
      complete: () => client.dispose(),
    },
  );
}
