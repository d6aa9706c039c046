export async function serve(_o: { db: string; port: number; host: string; token?: string }): Promise<number> {
  throw new Error('the notebook server is not built yet');
}
