from collectui.cli.app import main

main()
