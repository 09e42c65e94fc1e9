using Migration.Load.Cli;

return await LoadCommand.RunAsync(args, Console.Out, Console.Error);
