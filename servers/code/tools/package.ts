// code_package: zip chosen workspace files into an artifact, returned as an MCP resource.
import * as z from 'zod';

import { invalidArgument } from '../../../lib/errors.js';
import { defineTool, type Tool } from '../../../shared/tool.js';
import type { CodeRuntime } from '../runtime.js';
import { SessionArg, workspaceName } from './common.js';

const ZIP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,100}\.zip$/;

export function packageTool(cx: CodeRuntime): Tool {
  return defineTool({
    name: 'code_package',
    title: 'Zip workspace files',
    description:
      'Zips files and folders of a workspace into an artifact. Returns its resource link (resources/read fetches it); symlinks are left out.',
    effect: 'write',
    additive: true,
    input: z.object({
      session: SessionArg,
      paths: z
        .array(z.string().min(1))
        .min(1)
        .max(1000)
        .describe('Files or folders to include, relative to the workspace; "." for everything.'),
      name: z.string().default('workspace.zip').describe('File name of the archive, ending in .zip (letters, digits, . _ -).'),
    }),
    output: z.object({
      uri: z.string().describe('The artifact’s resource URI.'),
      name: z.string(),
      bytes: z.number().describe('Size of the zip.'),
      files: z.array(z.object({ path: z.string(), bytes: z.number() })),
      skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
    }),
    async preview(args) {
      if (!ZIP_NAME.test(args.name))
        throw invalidArgument(
          'name',
          `${JSON.stringify(args.name)} is not a plain .zip file name`,
          'Use letters, digits, dots, dashes and underscores, ending in .zip.',
        );
      // The zip writer (fflate) loads with the first package call, not before tools/list.
      const { planPackage } = await import('../workspace/package-zip.js');
      const plan = planPackage(cx.sessions.workspace(args.session), args.paths, cx.settings.packageMaxBytes);
      return {
        summary: `Zip ${plan.entries.length} file${plan.entries.length === 1 ? '' : 's'} (${plan.totalBytes} bytes) from workspace ${workspaceName(args.session)} into the artifact ${args.name}`,
        changes: [
          {
            kind: 'records',
            target: `${args.name} entries`,
            added: plan.entries.slice(0, 200).map((e) => ({ path: e.path, bytes: e.bytes })),
            removed: [],
            counts: { added: plan.entries.length, removed: 0, updated: 0 },
          },
        ],
      };
    },
    async handler(args, ctx) {
      if (!ZIP_NAME.test(args.name))
        throw invalidArgument(
          'name',
          `${JSON.stringify(args.name)} is not a plain .zip file name`,
          'Use letters, digits, dots, dashes and underscores, ending in .zip.',
        );
      const { buildZip, planPackage } = await import('../workspace/package-zip.js');
      const ws = cx.sessions.workspace(args.session);
      const plan = planPackage(ws, args.paths, cx.settings.packageMaxBytes);
      await ctx.progress(0, plan.entries.length, 'zipping');
      const zip = buildZip(ws, plan, ctx.signal);
      const artifact = ctx.artifacts.put(
        args.name,
        zip,
        'application/zip',
        `${plan.entries.length} files from workspace ${workspaceName(args.session)}`,
      );
      return {
        structured: { uri: artifact.uri, name: artifact.name, bytes: artifact.bytes, files: plan.entries, skipped: plan.skipped },
        text: [
          `packed ${plan.entries.length} files (${plan.totalBytes} bytes) into ${artifact.name} (${artifact.bytes} bytes): ${artifact.uri}`,
          ...(plan.skipped.length ? [`skipped: ${plan.skipped.map((s) => `${s.path} (${s.reason})`).join(', ')}`] : []),
        ].join('\n'),
        content: [ctx.artifacts.link(artifact)],
      };
    },
  });
}
