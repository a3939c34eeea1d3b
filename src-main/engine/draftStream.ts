/**
 * The amateur's drafts from one committed prefix, drawn one step at a time. Each step holds the amateur's
 * head at that position, the exact proposal q it was drawn from, and the drawn token. The amateur's cache
 * holds the prefix and every drafted token but the last (whose head nobody has asked for yet).
 *
 * A stream can run ahead of the round that uses it (while the expert verifies, on the other core). The draft
 * for absolute position j (the token's index in prompt + generated tokens) is drawn with the generator keyed
 * by (seed, j, "draft") (math/rng.ts `positionRng`), so what a step draws never depends on how far ahead the
 * drafting happened to run, which round drew it, or whether an earlier stream drew a draft there before.
 */
import {headDistribution, sample, type SparseDistribution} from "./math/distribution.ts";
import type {Head} from "./math/head.ts";
import {positionRng} from "./math/rng.ts";
import type {DecoderSequence} from "./sequence.ts";
import type {Token} from "./types.ts";

export type DraftStep = {readonly head: Head; readonly proposal: SparseDistribution; readonly token: Token};

export class DraftStream {
    readonly steps: DraftStep[] = [];
    private ended = false;
    /** Wall time of the amateur evaluations this stream made, ms, and how many. */
    evaluateMs = 0;
    evaluations = 0;

    /**
     * @param prefixLength amateur cache length that holds exactly the committed prefix once `pending` is
     *   evaluated: the committed tokens (prompt included), so steps[k] is the draft for position prefixLength + k
     */
    constructor(
        private readonly amateur: DecoderSequence,
        private pending: Token[],
        readonly prefixLength: number,
        private readonly temperature: number,
        private readonly seed: number,
        private readonly isEndOfGeneration: (token: Token) => boolean
    ) {}

    /** Draws until `count` steps exist, an end-of-generation draft ends the stream, or the cache is full. */
    async extendTo(count: number): Promise<void> {
        while (this.steps.length < count && !this.ended) {
            const input = this.steps.length === 0 ? this.pending : [this.steps[this.steps.length - 1]!.token];
            if (this.amateur.length + input.length > this.amateur.capacity) {
                this.ended = true;
                break;
            }
            const started = performance.now();
            const [head] = await this.amateur.evaluate(input, 1);
            this.evaluateMs += performance.now() - started;
            this.evaluations++;
            const proposal = headDistribution(head!, this.temperature);
            const token = sample(proposal, positionRng(this.seed, this.prefixLength + this.steps.length, "draft"));
            this.steps.push({head: head!, proposal, token});
            if (this.isEndOfGeneration(token)) this.ended = true;
        }
    }

    /** The stream after its first `count` tokens were committed: the remaining steps, at the same positions. */
    advance(count: number): DraftStream {
        // With no step left, the last committed token is the one drafted token the amateur has not evaluated.
        const pending = count >= this.steps.length ? [this.steps[count - 1]!.token] : [];
        const next = new DraftStream(this.amateur, pending, this.prefixLength + count, this.temperature, this.seed, this.isEndOfGeneration);
        next.steps.push(...this.steps.slice(count));
        next.ended = this.ended;
        return next;
    }
}
