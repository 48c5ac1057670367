# help-synopsis.sh TOOL MANPAGE: the command-line cases TOOL/help-synopsis.
# Every option of the man page's SYNOPSIS is in --help, and every option
# line of --help names at least one option of the SYNOPSIS.
syn=$(sed -n '/^\.SH SYNOPSIS/,/^\.SH /p' "$2" | sed 's/\\-/-/g' |
    grep -o -e '--[a-z-]*' -e '-[a-z]\>' | sort -u)
help=$("$1" --help)
for o in $syn; do
	printf '%s\n' "$help" | grep -q -e "$o\\>" ||
	    echo "--help lacks $o"
done
printf '%s\n' "$help" | grep '^ *-' | while read -r line; do
	found=
	for o in $(printf '%s\n' "$line" | sed 's/  .*//' |
	    grep -o -e '--[a-z-]*' -e '-[a-z]\>'); do
		case " $(echo $syn) " in *" $o "*) found=1 ;; esac
	done
	[ -n "$found" ] || echo "SYNOPSIS lacks: $line"
done
echo checked
