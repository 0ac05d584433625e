package main

import (
    "fmt"
    "log"
    "math/rand"
    "net/http"
    "time"
)

var counter int

func main() {
    http.HandleFunc("/inc", func(w http.ResponseWriter, r *http.Request) {
        duration := time.Duration(rand.Float64()*200) * time.Millisecond
        fmt.Println("Sleeping for: ", duration)
        time.Sleep(duration)
        counter++
        msg := fmt.Sprintf("The count is: %d", counter)
        fmt.Println(msg)
        fmt.Fprintf(w, msg)
    })

    log.Fatal(http.ListenAndServe(":8080", nil))
}
