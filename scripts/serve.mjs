#!/usr/bin/env node
// `npm run serve` (after `npm run build`): the web app on 127.0.0.1. Loads the TypeScript sources through
// tsx and runs src-main/app/webMain.ts. Settings: TANDEM_PORT, TANDEM_DATA_DIR, TANDEM_MODELS_DIR, TANDEM_TOKEN.
import {register} from "tsx/esm/api";

register();
const {main} = await import("../src-main/app/webMain.ts");
process.exit(await main());
