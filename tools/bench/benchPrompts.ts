/** Fixed story openings the benchmark decodes from (the same for every mode, pair and run). */
export const benchPrompts: readonly string[] = [
    "Once upon a time",
    "Lily and Ben went to the park. They",
    "One day, a little dog named Max",
    "Tom had a big red ball. He",
    "The sun was shining and the birds",
    "Sue wanted to bake a cake for her mom",
    "There was a small boat on the lake",
    "Anna found a shiny key in the garden"
];
