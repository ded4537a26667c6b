// The program entry: runs the CLI with the process's arguments. (bin/hearth.js loads the built copy.)
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
