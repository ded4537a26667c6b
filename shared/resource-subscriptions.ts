// resources/subscribe for one connection: the URIs a client watches, each with the version it last
// saw. A server's resources change through its own tools (a run writes a workspace file, an action
// adds a screenshot to the session log), so after every tool call the server asks each watched URI
// for its version again and tells the client which ones changed (notifications/resources/updated);
// a resource that is gone counts as changed once.
//
// Only over a connection that can carry a notification outside a request (stdio, in-process):
// Hearth serves HTTP without sessions, so it does not offer subscriptions there.

/** A resource's current version (undefined: it does not exist); throws for a URI the server does not serve. */
export type VersionOf = (uri: string) => string | undefined;

export class ResourceSubscriptions {
  private readonly seen = new Map<string, string | undefined>();

  constructor(
    private readonly versionOf: VersionOf,
    private readonly updated: (uri: string) => Promise<void>,
  ) {}

  /** Watches a URI that exists now; throws (as versionOf does, or NOT_FOUND) otherwise. */
  subscribe(uri: string): void {
    this.seen.set(uri, this.versionOf(uri));
  }

  unsubscribe(uri: string): void {
    this.seen.delete(uri);
  }

  get size(): number {
    return this.seen.size;
  }

  /** Compares every watched URI with the version last seen, and notifies the client of each that changed. */
  async check(): Promise<void> {
    for (const [uri, before] of this.seen) {
      let now: string | undefined;
      try {
        now = this.versionOf(uri);
      } catch {
        now = undefined;
      }
      if (now === before) continue;
      this.seen.set(uri, now);
      await this.updated(uri).catch(() => undefined);
    }
  }
}
