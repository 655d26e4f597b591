using Collab.Cli;

using var stdin = Console.OpenStandardInput();
using var stdout = Console.OpenStandardOutput();
return await Cli.RunAsync(args, stdin, stdout, Console.Error);
