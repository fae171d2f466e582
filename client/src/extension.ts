/**
 * Entry point of the VS Code extension: wires the language client, commands, status and
 * report panel together. Everything else lives in the modules it imports.
 */
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { FactorlintClient } from './language-client';
import { FactorlintStatus } from './status';

let client: FactorlintClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  client = new FactorlintClient(context);
  const status = new FactorlintStatus(client);
  context.subscriptions.push(client, status);
  registerCommands(context, client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
