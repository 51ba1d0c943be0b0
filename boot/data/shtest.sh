# A script for the shell's test (sh /data/shtest.sh).
cd /tmp
pwd
hello "from script" $?
nosuch   # not there
exit 5
hello never
