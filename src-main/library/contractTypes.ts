/** The library's part of the app's contract lives in src-shared (src-shared/contract/api.ts); this file names what the library uses. */
export type {
    AmateurVerdict,
    CatalogueEntry,
    CatalogueFile,
    Download,
    DownloadErrorKind,
    DownloadState,
    FitEstimate,
    LibraryModel,
    LibrarySettings,
    LibrarySnapshot,
    LibrarySource,
    LibrarySourceKind,
    ModelEntry,
    ModelFacts,
    PairRef,
    PairRuleFailure,
    PairVerdicts,
    ScanProgress
} from "../../src-shared/index.ts";
