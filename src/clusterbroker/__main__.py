from clusterbroker.cli import main

main()
