/**
 * The one lock over a pair's two KV caches. Every cache mutation (a generation, clearing the caches, a
 * benchmark's direct evaluations) runs while holding it; a second holder is refused at once with
 * DecoderBusyError rather than queued, so a caller always knows its request did not run.
 */

export class DecoderBusyError extends Error {
    constructor() {
        super("this model pair is already generating; wait for it to finish or abort it");
    }
}

export class CacheLockError extends Error {}

export class CacheLock {
    private holder: string | null = null;

    get held(): boolean {
        return this.holder != null;
    }

    /** Runs `work` holding the lock; throws DecoderBusyError, without running it, when the lock is taken. */
    async run<T>(purpose: string, work: () => Promise<T>): Promise<T> {
        if (this.holder != null) throw new DecoderBusyError();
        this.holder = purpose;
        try {
            return await work();
        } finally {
            this.holder = null;
        }
    }

    /** Throws unless the lock is held: a cache edit from outside the decoder's locked sections is a bug. */
    assertHeld(action: string): void {
        if (this.holder == null) {
            throw new CacheLockError(
                `${action} changes a model's KV cache outside the pair decoder's lock; use PairDecoder.generate, clearCaches or exclusive`
            );
        }
    }
}
