/**
 * The model library (issue 13): model folders and files, the caches other apps fill, what each model is,
 * pair verdicts from headers, the fit estimate, the catalogue of recommended pairs, and downloads. The
 * service imports this room through this file only.
 */
export {Library, LibraryError, checkFolder, checkModelFile, type LibraryEvent, type LibraryOptions, type LibraryRows} from "./library.ts";
export {
    DownloadManager,
    classifyDownloadError,
    downloadUriProblem,
    DEFAULT_HF_ENDPOINT,
    type DownloadRows,
    type DownloadSettings
} from "./downloads.ts";
export {cacheLocations, cacheKinds, type CacheEnvironment, type CacheKind} from "./cacheLocations.ts";
export {cataloguePairs, CATALOGUE_PROVENANCE} from "./catalogue.ts";
export {formatBytes, type ResolverFit} from "./fitEstimate.ts";
export {splitName, splitPartName, groupModelFiles} from "./splitParts.ts";
export type * from "./contractTypes.ts";
