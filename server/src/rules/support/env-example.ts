import type { FileAppend } from '../../engine/types';
import type { ProjectContext } from '../../engine/project-context';

/** Appends `NAME=` (and a comment) to the `.env.example` of the file's package, creating it. */
export function envExampleAppend(project: ProjectContext, name: string, value = '', comment?: string): FileAppend {
  const dir = project.nearestPackage?.dir;
  return {
    path: dir ? `${dir}/.env.example` : '.env.example',
    append: `${comment ? `# ${comment}\n` : ''}${name}=${value}\n`,
    unlessLineStartsWith: `${name}=`,
  };
}
