/**
 * The decoding loop over an expert/amateur pair: speculative contrastive decoding (scd), plain speculative
 * decoding (sd), contrastive decoding (cd), and each model alone, all on the same primitives.
 *
 * KV-cache invariant between steps: each model's cache holds a prefix of the committed token stream, and
 * `pending` holds the committed tokens it has not evaluated yet (at least the last one, whose head is read
 * by the next evaluation). A call whose prompt extends the cached tokens evaluates only the new ones.
 *
 * SCD round (γ drafts d_1..d_γ):
 *  1. the amateur drafts d_i ~ q_i (its own tempered head), one call each, unless it already drew them while
 *     the previous round was verified (see 2);
 *  2. the expert evaluates pending + d_1..d_γ in one batch, reading γ+1 heads; meanwhile, on the other core,
 *     the amateur evaluates d_γ (its head at the bonus position) and, while whole drafts keep being accepted,
 *     drafts on as if everything will be (draftStream.ts);
 *  3. d_i is accepted with probability min(1, p_n(d_i)/q_i(d_i)), p_n the contrastive target from the
 *     expert's and amateur's heads at that position; the first rejection is replaced by a draw from
 *     norm(max(0, p_n − q_i)), and both caches drop the rejected suffix;
 *  4. bonus position, after all γ are accepted: the amateur's next draft (drawn from its head after d_γ) is
 *     verified against the exact p_n there like any other draft. So every committed token is distributed
 *     exactly as contrastive decoding (with β = 0, sd, the target is the expert's own). If the bonus is that
 *     draft, the drafts the amateur drew beyond it are the next round's.
 *
 * Randomness is keyed by position, never by round: the token at absolute position j (its index in prompt +
 * generated tokens) is decided by generators keyed by (seed, j, use) (math/rng.ts). A draft, a bonus and a cd
 * token all come from the same draft-then-verify coupling (math/speculative.ts `coupledToken`): d_j ~ q_j,
 * kept with probability min(1, p_n(d_j)/q_j(d_j)), else a residual draw. So in scd and cd the token at j is one
 * function of (seed, prefix, the heads read at j), whatever γ, schedule or round boundary produced it. The heads
 * are the catch: one read in a batch differs from one read alone (~1e-5 in log p with exact numerics, up to
 * ~3e-2 without), and γ and the schedule decide the batches, so sampled scd with any γ (or γ auto) gives cd's
 * text for the same seed only up to that noise; without exact numerics a token moves now and then and the
 * texts part there (a fixed γ repeats its own text run to run: the same batches; γ auto's batches follow
 * measured time). sd's expert-only fallback and the single-model modes have no proposal and draw from their
 * target directly with the (seed, j, "direct") generator, so sd's text under γ auto can depend on the schedule.
 *
 * Every head holds only the ids both models have (see ModelSequence), so with vocabularies of different
 * sizes the target is CD (sd: the expert) restricted to the shared ids, and no model is fed an id it lacks.
 * Two model calls that run side by side are both settled before an error is rethrown, so a failed call never
 * leaves the other model evaluating while the next generation starts. All cache edits hold one lock.
 *
 * γ auto (scd, sd): before each round a planner (the pair's adaptive controller, adaptive/) picks the round:
 * a speculative round with its γ and schedule (side by side or serial), or one step of the non-speculative
 * mode (a cd step for scd, the expert alone for sd); after it, the round's measured timings go back to the
 * planner. Each round is an ordinary fixed-γ round or an ordinary cd/expert step, and γ changes only between
 * rounds, so every token is distributed exactly as with a fixed γ (greedy, and scd sampled: the same tokens,
 * up to the batched-head noise above).
 */
import {AdaptivePairState, type AdaptiveGenerationOptions} from "./adaptive/controller.ts";
import {
    runPlannedRound,
    type ContrastiveStepTimes,
    type PlannedRoundSteps,
    type RoundPlanner,
    type SpeculativeRoundReport
} from "./adaptive/plannedRound.ts";
import {contrastiveTarget, type ContrastParams} from "./math/contrast.ts";
import {headDistribution, sample, type SparseDistribution} from "./math/distribution.ts";
import type {Head} from "./math/head.ts";
import {couplingRngs, positionRng} from "./math/rng.ts";
import {coupledToken, expectedAcceptance} from "./math/speculative.ts";
import {CacheLock} from "./cacheLock.ts";
import {DraftStream} from "./draftStream.ts";
import {GenerationCounters} from "./generationCounters.ts";
import {resolveDecodingParams} from "./decodingParams.ts";
import {restrictedTo, reusePrefix, type DecoderSequence} from "./sequence.ts";
import {TextAssembler, type TokenText} from "./textAssembler.ts";
import type {DecodeEvent, DecodingParams, GenerateOptions, GenerationResult, GenerationStats, StopReason, Token, TokenSource} from "./types.ts";

export {DecoderBusyError} from "./cacheLock.ts";
export type {RoundPlanner} from "./adaptive/plannedRound.ts";

/** Most new prompt tokens evaluated in one call before the abort signal is looked at again. */
export const PREFILL_CHUNK = 256;

export class PromptTooLongError extends Error {
    constructor(
        readonly promptTokens: number,
        readonly contextSize: number
    ) {
        super(`the prompt is ${promptTokens} tokens long but the context holds ${contextSize}; shorten the prompt or raise the context size`);
    }
}

export class InvalidPromptError extends Error {}

export type PairDecoderOptions = {
    /**
     * Whether the two models may evaluate at the same time (each on its own cores): cd's two heads, prompt
     * chunks, and the amateur drafting ahead during verification. Off when the models' threads would
     * oversubscribe the CPU (measured on 2 cores with 2 threads each: ~10× slower). Default true.
     */
    readonly sideBySide?: boolean;
    /** New prompt tokens per call before the next abort check (default PREFILL_CHUNK). */
    readonly prefillChunk?: number;
    /** The lock over both caches; pass the sequences' lock when they check one (ModelPair does). */
    readonly lock?: CacheLock;
    /**
     * Makes each γ-auto generation's planner (default: the pair's adaptive controller, `adaptive`). A scripted
     * planner forces every kind of switch (test/helpers/scriptedPlanner.ts).
     */
    readonly planner?: (options: AdaptiveGenerationOptions) => RoundPlanner;
};

/** γ auto considers drafts of 1 to this many tokens (the CPU sweeps never favoured more). */
export const AUTO_GAMMA_MAX = 8;

export class PairDecoder {
    readonly expert: DecoderSequence;
    readonly amateur: DecoderSequence;
    /** Ids both models have: the only ids decoded, drafted or fed to either model. */
    readonly vocabularySize: number;
    readonly sideBySide: boolean;
    readonly prefillChunk: number;
    readonly lock: CacheLock;
    /** What γ auto learned on this pair (acceptance, call costs, round times), kept while the pair is loaded. */
    readonly adaptive = new AdaptivePairState();
    /** Makes each γ-auto generation's planner (PairDecoderOptions.planner). */
    private readonly planner: (options: AdaptiveGenerationOptions) => RoundPlanner;

    constructor(
        expert: DecoderSequence,
        amateur: DecoderSequence,
        private readonly tokenText: TokenText,
        options: PairDecoderOptions = {}
    ) {
        this.vocabularySize = Math.min(expert.vocabularySize, amateur.vocabularySize);
        this.expert = restrictedTo(expert, this.vocabularySize);
        this.amateur = restrictedTo(amateur, this.vocabularySize);
        this.sideBySide = options.sideBySide ?? true;
        this.prefillChunk = options.prefillChunk ?? PREFILL_CHUNK;
        if (!(Number.isInteger(this.prefillChunk) && this.prefillChunk >= 1)) throw new RangeError("prefillChunk must be an integer ≥ 1");
        this.lock = options.lock ?? new CacheLock();
        this.planner = options.planner ?? ((generation) => this.adaptive.startGeneration(generation));
    }

    /** True while a generation (or another cache edit) holds the caches. */
    get busy(): boolean {
        return this.lock.held;
    }

    /** Generates a continuation of `prompt` (the full token stream, BOS included where the model wants it). */
    async generate(prompt: readonly Token[], options: GenerateOptions = {}, onEvent?: (event: DecodeEvent) => void): Promise<GenerationResult> {
        const params = resolveDecodingParams(options);
        if (prompt.length === 0) throw new InvalidPromptError("the prompt has no tokens");
        const vocabularySize = this.vocabularySize;
        const badAt = prompt.findIndex((token) => !(Number.isInteger(token) && token >= 0 && token < vocabularySize));
        if (badAt >= 0) {
            throw new InvalidPromptError(
                `prompt token ${badAt} is ${String(prompt[badAt])}, not an id both models have (0 to ${vocabularySize - 1})`
            );
        }
        const usesExpert = params.mode !== "amateur";
        const usesAmateur = params.mode !== "expert";
        for (const model of [usesExpert ? this.expert : null, usesAmateur ? this.amateur : null]) {
            if (model != null && prompt.length > model.capacity) throw new PromptTooLongError(prompt.length, model.capacity);
        }
        return this.lock.run("generate", () => {
            const planner =
                (params.mode === "scd" || params.mode === "sd") && params.gamma === "auto"
                    ? this.planner({
                          mode: params.mode,
                          profile: `α=${params.alpha} β=${params.beta} T=${params.temperature}`,
                          gammaMax: AUTO_GAMMA_MAX,
                          sideBySide: this.sideBySide,
                          seed: params.seed
                      })
                    : null;
            const run = new GenerationRun(this, this.tokenText, params, options, prompt, onEvent, planner);
            return run.execute(usesExpert, usesAmateur);
        });
    }

    /** Empties both KV caches, so the next call evaluates its whole prompt; DecoderBusyError while generating. */
    clearCaches(): Promise<void> {
        return this.lock.run("clearCaches", async () => {
            await settleBoth(this.expert.truncate(0), this.amateur.truncate(0));
        });
    }

    /**
     * Runs `work` with both sequences to itself (benchmarks, tests that read heads directly); DecoderBusyError
     * while generating. The caches may be left holding anything: the next generation reuses only what matches.
     */
    exclusive<T>(work: (expert: DecoderSequence, amateur: DecoderSequence) => Promise<T>): Promise<T> {
        return this.lock.run("exclusive", () => work(this.expert, this.amateur));
    }
}

/** Awaits both, then rethrows the first failure: neither call is still running when this settles. */
async function settleBoth<A, B>(first: Promise<A>, second: Promise<B>): Promise<[A, B]> {
    const [a, b] = await Promise.allSettled([first, second]);
    if (a.status === "rejected") throw a.reason;
    if (b.status === "rejected") throw b.reason;
    return [a.value, b.value];
}

class GenerationRun implements PlannedRoundSteps {
    private readonly expert: DecoderSequence;
    private readonly amateur: DecoderSequence;
    /** Whether the pair allows side-by-side calls (a fixed-γ run uses them wherever it can). */
    readonly sideBySide: boolean;
    private readonly prefillChunk: number;
    private readonly vocabularySize: number;
    private readonly contrast: ContrastParams;
    private readonly text: TextAssembler;
    private readonly stopTokens: Set<Token>;
    private readonly isEndOfGeneration: (token: Token) => boolean;

    // Decoding state.
    private readonly tokens: Token[] = [];
    private pendingExpert: Token[] = [];
    private pendingAmateur: Token[] = [];
    /** The amateur's current drafts (speculative modes); null when the next round starts a new stream. */
    private stream: DraftStream | null = null;
    private stopReason: StopReason | null = null;

    // What the lookahead policy learns as it goes.
    private readonly verifyMs = new MovingAverage();
    private readonly amateurStepMs = new MovingAverage();
    private readonly fullyAccepted = new MovingAverage();

    // Statistics.
    private readonly counters = new GenerationCounters();
    private readonly callsAtStart: {expert: number; amateur: number};

    constructor(
        decoder: PairDecoder,
        private readonly tokenText: TokenText,
        private readonly params: DecodingParams,
        private readonly options: GenerateOptions,
        private readonly prompt: readonly Token[],
        private readonly onEvent: ((event: DecodeEvent) => void) | undefined,
        /** Picks each round under γ auto; null for a fixed γ and the non-speculative modes. */
        private readonly planner: RoundPlanner | null
    ) {
        this.expert = decoder.expert;
        this.amateur = decoder.amateur;
        this.sideBySide = decoder.sideBySide;
        this.prefillChunk = decoder.prefillChunk;
        this.vocabularySize = decoder.vocabularySize;
        this.contrast = {alpha: params.alpha, beta: params.beta, temperature: params.temperature};
        this.text = new TextAssembler(tokenText, options.stopStrings ?? [], prompt);
        this.stopTokens = new Set(options.stopTokens ?? []);
        for (const token of [...this.stopTokens]) if (!Number.isInteger(token)) this.stopTokens.delete(token);
        this.isEndOfGeneration = (token) => this.stopTokens.has(token) || tokenText.isEndOfGeneration(token);
        this.callsAtStart = {expert: this.expert.calls, amateur: this.amateur.calls};
    }

    async execute(usesExpert: boolean, usesAmateur: boolean): Promise<GenerationResult> {
        const {reused} = this.counters;
        if (usesExpert) ({reused: reused.expert, pending: this.pendingExpert} = await this.wait(reusePrefix(this.expert, this.prompt)));
        if (usesAmateur) ({reused: reused.amateur, pending: this.pendingAmateur} = await this.wait(reusePrefix(this.amateur, this.prompt)));
        await this.prefill();

        while (this.stopReason == null) {
            if (this.options.signal?.aborted) {
                this.stopReason = "abort";
                break;
            }
            switch (this.params.mode) {
                case "expert":
                    await this.singleModelStep(this.expert, "expert");
                    break;
                case "amateur":
                    await this.singleModelStep(this.amateur, "amateur");
                    break;
                case "cd":
                    await this.contrastiveStep();
                    break;
                case "scd":
                case "sd":
                    if (this.planner != null) await runPlannedRound(this.planner, this, AUTO_GAMMA_MAX);
                    else await this.speculativeRound(this.params.gamma as number, this.sideBySide);
                    break;
            }
        }
        // Drop drafts the amateur drew past the end: its cache keeps only committed tokens.
        if (this.stream != null) await this.wait(this.amateur.truncate(this.stream.prefixLength));
        this.stream = null;
        if (this.stopReason === "stopString") await this.alignTokensWithText(usesExpert, usesAmateur);
        const tail = this.text.finish(this.stopReason === "stopString");
        if (tail.length > 0) this.onEvent?.({kind: "text", text: tail});
        return {tokens: this.tokens, text: this.text.fullText, stats: this.stats()};
    }

    /**
     * Evaluates the new prompt tokens in chunks while more than one chunk is pending, looking at the abort
     * signal between chunks; the last chunk (with the last prompt token, whose head the first step reads)
     * rides in each model's first call (in scd/sd the expert's first verification batch), which llama.cpp
     * evaluates faster than a separate call. An abort here leaves a prefix of the prompt cached.
     */
    private async prefill(): Promise<void> {
        const chunk = this.prefillChunk;
        while (this.pendingExpert.length > chunk || this.pendingAmateur.length > chunk) {
            if (this.options.signal?.aborted) return;
            const expertChunk = this.pendingExpert.length > chunk ? this.pendingExpert.slice(0, chunk) : [];
            const amateurChunk = this.pendingAmateur.length > chunk ? this.pendingAmateur.slice(0, chunk) : [];
            await this.wait(
                this.both(
                    () => this.expert.evaluate(expertChunk, 0),
                    () => this.amateur.evaluate(amateurChunk, 0)
                )
            );
            this.pendingExpert = this.pendingExpert.slice(expertChunk.length);
            this.pendingAmateur = this.pendingAmateur.slice(amateurChunk.length);
        }
    }

    /**
     * After a stop string: the tokens wholly before it stay, the text between them and the cut is tokenized
     * afresh, and both caches drop everything past the kept tokens, so the result's tokens, the caches and
     * the text all say the same thing (the next turn's prompt, built from these tokens, reuses the caches).
     */
    private async alignTokensWithText(usesExpert: boolean, usesAmateur: boolean): Promise<void> {
        const cut = this.text.stopCut;
        if (cut == null) return;
        const preceding = [...this.prompt, ...this.tokens.slice(0, cut.keptTokens)].slice(-8);
        let tail = cut.remainder.length > 0 ? (this.tokenText.tokenize(cut.remainder, preceding) ?? []) : [];
        // Text the tokenizer cannot spell after the kept tokens, or spells with an id one model lacks, stays
        // text only: the tokens and caches then end just before it (never seen on the test models).
        if (tail.some((token) => token >= this.vocabularySize)) tail = [];
        this.tokens.splice(cut.keptTokens, this.tokens.length - cut.keptTokens, ...tail);
        const keep = this.prompt.length + cut.keptTokens;
        if (usesExpert && this.expert.length > keep) await this.wait(this.expert.truncate(keep));
        if (usesAmateur && this.amateur.length > keep) await this.wait(this.amateur.truncate(keep));
    }

    /** Runs two model calls side by side (both settled before a failure is rethrown), or in turn. */
    private async both<A, B>(first: () => Promise<A>, second: () => Promise<B>, sideBySide = this.sideBySide): Promise<[A, B]> {
        if (sideBySide) return settleBoth(first(), second());
        const a = await first();
        return [a, await second()];
    }

    private wait<T>(work: Promise<T>): Promise<T> {
        return this.counters.wait(work);
    }

    /** Free cache slots left in a model once its pending tokens are evaluated. */
    private room(model: DecoderSequence, pending: readonly Token[]): number {
        return model.capacity - model.length - pending.length;
    }

    /**
     * One token from one model alone. `amateurFollows` (sd's fallback under γ auto): the idle amateur is to
     * catch up later, so the token is appended to its pending tokens. Returns the call's wall time, ms (null
     * when nothing ran).
     */
    private async singleModelStep(model: DecoderSequence, which: "expert" | "amateur", amateurFollows = false): Promise<number | null> {
        const pending = which === "expert" ? this.pendingExpert : this.pendingAmateur;
        if (this.room(model, pending) < 0) {
            this.stop("contextFull");
            return null;
        }
        const started = performance.now();
        // One token in (not the prompt, not a catch-up): a plain step of this model alone, timed for the stats.
        const plainStep = which === "expert" && pending.length === 1;
        // Greedy needs no head: a token-only step where the sequence offers one (llama.cpp's argmax). Sampled, no
        // proposal is there to couple with: a direct draw with the position's own generator.
        const token =
            this.params.temperature === 0 && model.evaluateArgmax != null
                ? await this.wait(model.evaluateArgmax(pending))
                : sample(
                      headDistribution((await this.wait(model.evaluate(pending, 1)))[0]!, this.params.temperature),
                      positionRng(this.params.seed, this.position, "direct")
                  );
        const callMs = performance.now() - started;
        if (which === "expert") this.pendingExpert = [token];
        else this.pendingAmateur = [token];
        if (amateurFollows) this.pendingAmateur.push(token);
        this.commit(token, "direct");
        if (plainStep) this.counters.step("expert", performance.now() - started);
        return callMs;
    }

    /**
     * One cd token: both heads, the contrastive target, and (sampled) the draft-then-verify coupling against the
     * amateur's tempered head q, so the token is the one an scd round would commit here with the same seed.
     * Returns each call's wall time and, when `measureAcceptance`, Σ_x min(p_n(x), q(x)) (how likely a draft
     * here would be accepted; γ auto's evidence); null when nothing ran.
     */
    async contrastiveStep(sideBySide = this.sideBySide, measureAcceptance = false): Promise<ContrastiveStepTimes | null> {
        if (this.room(this.expert, this.pendingExpert) < 0 || this.room(this.amateur, this.pendingAmateur) < 0) {
            this.stop("contextFull");
            return null;
        }
        const started = performance.now();
        const plainStep = this.pendingExpert.length === 1 && this.pendingAmateur.length === 1;
        const timed = async <T>(work: Promise<T>): Promise<[T, number]> => {
            const started = performance.now();
            const value = await work;
            return [value, performance.now() - started];
        };
        // Two contexts, two llama.cpp threads: side by side, the models evaluate at once.
        const [[[expertHead], expertMs], [[amateurHead], amateurMs]] = await this.wait(
            this.both(
                () => timed(this.expert.evaluate(this.pendingExpert, 1)),
                () => timed(this.amateur.evaluate(this.pendingAmateur, 1)),
                sideBySide
            )
        );
        const target = this.target(expertHead!, amateurHead!);
        const sampled = this.params.temperature > 0;
        const proposal = sampled || measureAcceptance ? headDistribution(amateurHead!, this.params.temperature) : null;
        const acceptance = measureAcceptance ? expectedAcceptance(target, proposal!) : null;
        // Greedy: the target is one-hot on p_n's argmax.
        const token = sampled ? this.coupled(target, {proposal: proposal!}, this.position).token : target.ids[0]!;
        this.pendingExpert = [token];
        this.pendingAmateur = [token];
        this.commit(token, "direct");
        if (plainStep) this.counters.step("cd", performance.now() - started);
        return {expertMs, amateurMs, acceptance};
    }

    // The planned round's view of this run (adaptive/plannedRound.ts schedules and times γ auto's rounds).

    get mode(): "scd" | "sd" {
        return this.params.mode as "scd" | "sd";
    }

    get tokenCount(): number {
        return this.tokens.length;
    }

    get stopped(): boolean {
        return this.stopReason != null;
    }

    get aborted(): boolean {
        return this.options.signal?.aborted === true;
    }

    get catchingUp(): boolean {
        return this.pendingExpert.length > 1 || (this.params.mode === "scd" && this.pendingAmateur.length > 1);
    }

    async leaveSpeculation(): Promise<boolean> {
        if (this.stream == null) return false;
        await this.dropStream();
        return true;
    }

    expertStep(): Promise<number | null> {
        return this.singleModelStep(this.expert, "expert", true);
    }

    countFallback(tokens: number): void {
        this.counters.fallback(tokens);
    }

    /**
     * Speculation → a non-speculative step: the amateur's cache may hold drafts past the committed tokens.
     * It keeps the committed ones but the last, which becomes its pending token (one token evaluated again).
     */
    private async dropStream(): Promise<void> {
        const committed = this.stream!.prefixLength;
        this.stream = null;
        if (this.amateur.length > committed - 1) await this.wait(this.amateur.truncate(committed - 1));
        const stream = [...this.prompt, ...this.tokens];
        this.pendingAmateur = stream.slice(this.amateur.length, committed);
    }

    /** The next token's absolute position: its index in prompt + generated tokens (what randomness is keyed by). */
    private get position(): number {
        return this.prompt.length + this.tokens.length;
    }

    /**
     * The token at `position` from `target` by the draft-then-verify coupling with that position's generators:
     * the draft (`draft.token`, drawn by the draft stream; a cd step draws it here from `draft.proposal`) kept
     * with probability min(1, p(d)/q(d)), else a residual draw (counted when the residual fell back to p).
     * Greedy one-hot p and q draw nothing.
     */
    private coupled(target: SparseDistribution, draft: CouplingDraft, position: number): {token: Token; accepted: boolean} {
        const {token, accepted, residualFellBack} = coupledToken(target, draft.proposal, couplingRngs(this.params.seed, position), draft.token);
        if (residualFellBack) this.counters.residualFallback();
        return {token, accepted};
    }

    private target(expertHead: Head, amateurHead: Head | null): SparseDistribution {
        const target = contrastiveTarget(expertHead, amateurHead, this.contrast);
        this.counters.target(target.amateurFloorHits, target.headTruncated);
        return target.distribution;
    }

    /**
     * One speculative round of up to `roundGamma` drafts, the amateur drafting ahead during verification when
     * `sideBySide`. Returns what the round measured for the planner (null when it could not run).
     */
    async speculativeRound(roundGamma: number, sideBySide: boolean): Promise<SpeculativeRoundReport | null> {
        const needsAmateurHeads = this.params.beta !== 0;
        // The amateur's first call carries several tokens when it catches up (the prompt, sd's expert-only steps).
        const untimed = this.pendingExpert.length > 1 || (this.stream == null && this.pendingAmateur.length > 1);
        const amateurUntimed = this.stream == null && this.pendingAmateur.length > 1;
        this.stream ??= this.newStream();
        const stream = this.stream;
        const amateurAtStart = {ms: stream.evaluateMs, count: stream.evaluations};
        const gamma = Math.min(
            roundGamma,
            this.params.maxTokens - this.tokens.length,
            this.room(this.expert, this.pendingExpert),
            this.amateur.capacity - stream.prefixLength
        );
        if (gamma < 1) {
            this.stop("contextFull");
            return null;
        }
        this.counters.round(gamma);
        let accepted = 0;
        let verifyMs = NaN;
        const report = (rejected: number): SpeculativeRoundReport => {
            const steps = stream.evaluations - amateurAtStart.count;
            const amateur =
                amateurUntimed || steps === 0 ? {} : {amateurStepMs: (stream.evaluateMs - amateurAtStart.ms) / steps, amateurSteps: steps};
            return {
                kind: "speculate",
                gamma,
                sideBySide,
                drafted: n,
                accepted,
                rejected,
                untimed,
                ...(untimed || !Number.isFinite(verifyMs) ? {} : {verifyMs}),
                ...amateur
            };
        };

        // 1. Draft (steps drawn ahead last round are reused).
        if (stream.steps.length > 0) this.counters.lookaheadRound();
        await this.wait(stream.extendTo(gamma));
        const drafts = stream.steps.slice(0, gamma);
        const n = drafts.length;
        if (n === 0) {
            this.stop("contextFull");
            return null;
        }
        this.counters.draftsVerified(n);

        // 2. Verify every draft in one expert batch while the amateur, on the other core, reads its head after
        //    the last draft (the bonus position) and drafts on as if everything will be accepted.
        const expertBase = this.expert.length + this.pendingExpert.length;
        const verifyStarted = performance.now();
        const verification = this.expert.evaluate([...this.pendingExpert, ...drafts.map((d) => d.token)], n + 1).finally(() => {
            verifyMs = performance.now() - verifyStarted;
            this.verifyMs.record(verifyMs);
        });
        const drawAhead = sideBySide ? stream.extendTo(n + 1 + this.lookaheadSteps(gamma)) : Promise.resolve();
        const [expertHeads] = await this.wait(settleBoth(verification, drawAhead));
        this.amateurStepMs.record(stream.evaluations > 0 ? stream.evaluateMs / stream.evaluations : NaN);
        this.pendingExpert = [];

        // 3. Accept or correct, with the generators of each draft's position (the draft was drawn with its own).
        for (let i = 0; i < n; i++) {
            const target = this.target(expertHeads[i]!, needsAmateurHeads ? drafts[i]!.head : null);
            const verdict = this.coupled(target, drafts[i]!, stream.prefixLength + i);
            if (verdict.accepted) {
                this.counters.draftAccepted(i);
                accepted++;
                this.commit(verdict.token, "draft");
                if (this.stopReason != null) {
                    // Keep only committed tokens cached; the last committed one counts as pending.
                    await this.wait(this.expert.truncate(expertBase + i));
                    await this.wait(this.amateur.truncate(stream.prefixLength + i));
                    this.stream = null;
                    return report(0);
                }
                continue;
            }
            this.fullyAccepted.record(0);
            await this.wait(this.expert.truncate(expertBase + i));
            await this.wait(this.amateur.truncate(stream.prefixLength + i));
            this.stream = null;
            this.pendingExpert = [verdict.token];
            this.pendingAmateur = [verdict.token];
            this.counters.correction();
            this.commit(verdict.token, "correction");
            return report(1);
        }

        // 4. Bonus token after a fully accepted draft, from the exact p_n at the bonus position: the amateur's next
        //    draft is verified there like any other (the coupling a cd step uses), so the token does not depend
        //    on where the round ended.
        this.fullyAccepted.record(1);
        await this.wait(stream.extendTo(n + 1)); // already there when the amateur drew ahead
        const next = stream.steps[n];
        if (next == null) {
            this.stop("contextFull");
            return report(0);
        }
        const bonusTarget = this.target(expertHeads[n]!, needsAmateurHeads ? next.head : null);
        const bonus = this.coupled(bonusTarget, next, stream.prefixLength + n).token;
        this.pendingExpert = [bonus];
        if (bonus === next.token) {
            // The amateur already drafted past this token: its next drafts stand.
            this.stream = stream.advance(n + 1);
        } else {
            await this.wait(this.amateur.truncate(stream.prefixLength + n));
            this.stream = null;
            this.pendingAmateur = [bonus];
        }
        this.counters.bonus();
        this.commit(bonus, "bonus");
        return report(0);
    }

    private newStream(): DraftStream {
        const stream = new DraftStream(
            this.amateur,
            this.pendingAmateur,
            this.amateur.length + this.pendingAmateur.length,
            this.params.temperature,
            this.params.seed,
            this.isEndOfGeneration
        );
        this.pendingAmateur = [];
        return stream;
    }

    /**
     * How many drafts past the bonus position the amateur draws while the expert verifies. They only pay off
     * when a whole draft is accepted (and the bonus matches), so none while most rounds end in a rejection;
     * otherwise as many as fit in the verification's time (they are free on the idle core), at most γ.
     */
    private lookaheadSteps(gamma: number): number {
        if (this.fullyAccepted.value < 0.5) return 0; // (no rounds yet: NaN, so look ahead)
        const fit = Math.floor(this.verifyMs.value / this.amateurStepMs.value) - 1;
        return Number.isFinite(fit) ? Math.max(0, Math.min(gamma, fit)) : gamma;
    }

    private commit(token: Token, source: TokenSource): void {
        this.counters.committed();
        if (this.isEndOfGeneration(token)) return this.stop("eogToken");
        this.tokens.push(token);
        const {text, stopped} = this.text.push(token);
        this.onEvent?.({kind: "token", token, source, text});
        if (stopped) this.stop("stopString");
        else if (this.tokens.length >= this.params.maxTokens) this.stop("maxTokens");
    }

    private stop(reason: StopReason): void {
        this.stopReason ??= reason;
    }

    private stats(): GenerationStats {
        return this.counters.stats({
            mode: this.params.mode,
            generatedTokens: this.tokens.length,
            expertCalls: this.expert.calls - this.callsAtStart.expert,
            amateurCalls: this.amateur.calls - this.callsAtStart.amateur,
            promptTokens: this.prompt.length,
            adaptivePick: this.planner?.stats?.().pick ?? null,
            sharedVocabularySize: this.vocabularySize,
            stopReason: this.stopReason ?? "abort",
            seed: this.params.seed
        });
    }
}

/** What a position's coupling verifies: a draft stream's step (proposal and drawn token), or a bare proposal (a cd step). */
type CouplingDraft = {readonly proposal: SparseDistribution; readonly token?: Token};

/** Exponential moving average of a timing; NaN until the first sample. */
class MovingAverage {
    value = NaN;

    record(sample: number): void {
        if (!Number.isFinite(sample)) return;
        this.value = Number.isNaN(this.value) ? sample : 0.7 * this.value + 0.3 * sample;
    }
}
