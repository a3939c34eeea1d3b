/**
 * The built-in demo pair (resources/models/): the pair a fresh install answers with before the user picks one.
 * Every other model comes from the library (src-main/library), which also lists these two files.
 */
import path from "node:path";
import type {PairRef} from "../../src-shared/index.ts";

/** The demo pair's files in the demo folder (resources/models/): the story model and its 4-block early exit. */
export const DEMO_EXPERT_FILE = "stories260K.gguf";
export const DEMO_AMATEUR_FILE = "stories260K-L4-earlyexit.gguf";

export function demoPair(demoModelsDir: string): PairRef {
    return {expertPath: path.resolve(demoModelsDir, DEMO_EXPERT_FILE), amateurPath: path.resolve(demoModelsDir, DEMO_AMATEUR_FILE)};
}
