/**
 * The window's width classes. Below NARROW_MAX_PX the sidebar becomes a drawer; below COMPACT_MAX_PX the chat
 * header's buttons fold into one menu (beside the sidebar, the chat is too narrow for them from there on). Follows
 * the window as it is resized (matchMedia); wide where there is no window (tests).
 */
export const NARROW_MAX_PX = 760;
export const COMPACT_MAX_PX = 1040;

function watch(query: string, onChange: (matches: boolean) => void): boolean {
    if (typeof matchMedia !== "function") return false;
    const media = matchMedia(query);
    media.addEventListener("change", (event) => onChange(event.matches));
    return media.matches;
}

export class Viewport {
    narrow = $state(false);
    compact = $state(false);
    /** The sidebar drawer is open (narrow windows only). */
    drawerOpen = $state(false);

    constructor() {
        this.narrow = watch(`(max-width: ${NARROW_MAX_PX}px)`, (matches) => {
            this.narrow = matches;
            if (!matches) this.drawerOpen = false;
        });
        this.compact = watch(`(max-width: ${COMPACT_MAX_PX}px)`, (matches) => (this.compact = matches));
    }

    openDrawer(): void {
        if (this.narrow) this.drawerOpen = true;
    }

    closeDrawer(): void {
        this.drawerOpen = false;
    }
}

export const viewport = new Viewport();
