// Hearth's version: package.json is the one place it is written down.
import pkg from '../package.json' with { type: 'json' };

export const HEARTH_VERSION: string = pkg.version;
