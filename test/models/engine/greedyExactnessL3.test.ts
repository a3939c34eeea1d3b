/** Greedy scd ≡ cd and sd ≡ expert with the 3-block early-exit amateur (see helpers/greedyExactnessSuite.ts). */
import {greedyExactnessSuite, randomPrompts, writtenPrompts} from "../../helpers/greedyExactnessSuite.ts";
import {storyAmateurL3} from "../../helpers/models.ts";

greedyExactnessSuite(storyAmateurL3, [...writtenPrompts.slice(0, 2), ...randomPrompts(3, 3)]);
