_aomlog_completion() {
    local response completion

    response=$(env COMP_LINE="${COMP_LINE:0:COMP_POINT}" COMP_WORDBREAKS="$COMP_WORDBREAKS" \
_AOMLOG_COMPLETE=bash_complete "$1")

    while IFS= read -r completion; do
        case ${completion%%,*} in
            dir) COMPREPLY=(); compopt -o dirnames ;;
            file) COMPREPLY=(); compopt -o default ;;
            plain) COMPREPLY+=("${completion#*,}") ;;
        esac
    done <<< "$response"

    return 0
}

_aomlog_completion_setup() {
    complete -o nosort -F _aomlog_completion aomlog
}

_aomlog_completion_setup;
