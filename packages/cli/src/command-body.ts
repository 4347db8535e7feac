import type { CommandBuilder } from 'yargs';

/** What a command module gives: its options and its handler (the table names and describes it). */
export interface CommandBody {
  builder?: CommandBuilder<object, any>;
  /** Called with the parsed arguments: the module declares their type. */
  handler: (args: any) => void | Promise<void>;
}
