/** Greedy scd ≡ cd and sd ≡ expert with the 4-block early-exit amateur (see helpers/greedyExactnessSuite.ts). */
import {greedyExactnessSuite, randomPrompts, writtenPrompts} from "../../helpers/greedyExactnessSuite.ts";
import {storyAmateurL4} from "../../helpers/models.ts";

greedyExactnessSuite(storyAmateurL4, [...writtenPrompts, ...randomPrompts(3, 4)]);
