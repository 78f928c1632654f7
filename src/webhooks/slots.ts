/**
 * The dispatcher's bounds on deliveries in flight: overall and per
 * endpoint. A delivery holds its slot from its claim until its attempt is
 * recorded (or given up on), so a worker never holds more leases than it
 * can send at once.
 */
export class Slots {
  private total = 0;
  private readonly perEndpoint = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly perEndpointLimit: number,
  ) {}

  /** Deliveries holding a slot. */
  get busy(): number {
    return this.total;
  }

  take(endpointId: string): void {
    this.total += 1;
    this.perEndpoint.set(endpointId, this.heldBy(endpointId) + 1);
  }

  give(endpointId: string): void {
    this.total -= 1;
    const left = this.heldBy(endpointId) - 1;
    if (left > 0) this.perEndpoint.set(endpointId, left);
    else this.perEndpoint.delete(endpointId);
  }

  /**
   * What may be claimed once the slots of `releasing` are given back: a
   * round claims in the same transaction that records those attempts.
   */
  available(releasing: readonly string[]): {
    free: number;
    capacity(endpointId: string): number;
  } {
    const released = new Map<string, number>();
    for (const id of releasing) released.set(id, (released.get(id) ?? 0) + 1);
    return {
      free: this.limit - this.total + releasing.length,
      capacity: (id) =>
        this.perEndpointLimit - this.heldBy(id) + (released.get(id) ?? 0),
    };
  }

  private heldBy(endpointId: string): number {
    return this.perEndpoint.get(endpointId) ?? 0;
  }
}
