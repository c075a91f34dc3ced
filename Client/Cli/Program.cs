return await OrleansFs.Cli.OfsApp.RunAsync(args);
