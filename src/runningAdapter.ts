/** What a started platform adapter gives back: its name and a way to stop it cleanly. */
export interface RunningAdapter {
  name: string;
  stop(): Promise<void>;
}
