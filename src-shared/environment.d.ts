// What src-shared may assume of its host, Node or a browser alike (compiled by src-shared/tsconfig.json only).
declare const console: {error(...data: unknown[]): void};
